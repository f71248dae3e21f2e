package io.sluice.runtime.state.heap;

import io.sluice.api.state.StateDescriptor;
import io.sluice.api.state.StateTtlConfig;
import io.sluice.api.types.FlatCodec;
import io.sluice.api.types.TypeSerializer;
import io.sluice.api.types.Types;
import io.sluice.runtime.state.snapshot.StateHeader;

/**
 * One keyed state of a backend: its descriptor, the namespace serializer (windows), its canonical header (which
 * snapshots record and restores check), how its stored values are copied when a snapshot shares them, and its tables:
 * one per key group of the backend's range, created on first use, or, for a state of {@code Long} keys,
 * {@value #STRIPES} stripes of the whole range.
 *
 * <p>Why stripes for {@code Long} keys: such a table keeps keys close in value in nearby slots (see
 * {@link StateTable}), which pays only if the keys that come one after another share a table. Per key group, ids
 * handed out in sequence land in as many tables as there are key groups, one id in each, and each lookup of a new id
 * misses the cache again. A stripe takes runs of {@code 2^}{@value #STRIPE_SHIFT} consecutive keys (the stripe is a
 * hash of the key's higher bits), so ids in sequence stay in one table for a thousand ids; and a table grows by
 * moving all its entries at once on the task thread, so {@value #STRIPES} of them each grow in a 64th of the time one
 * table of the range would (docs/benchmarks.md, "Stripes instead of one table"). Snapshots still go per key group:
 * the writer sorts each stripe's captured slots by key group ({@link KeyGroupSlots}).
 */
final class RegisteredState {
    final String name;
    final StateKind kind;
    final StateDescriptor<?> descriptor;
    final TypeSerializer<Object> namespaceSerializer;
    final StateTtlConfig ttl;
    final EntryCopier copier;
    final StateHeader header;
    /** Stripes of a state of {@code Long} keys: a power of two. */
    static final int STRIPES = 64;
    /** A stripe takes runs of {@code 2^STRIPE_SHIFT} consecutive keys. */
    static final int STRIPE_SHIFT = 10;
    /** One table per key group of the range ({@code null} until used); {@code null} for a state with {@link #stripes}. */
    private final StateTable[] tables;
    /** The stripes of the whole range, for {@code Long} keys; {@code null} if there is a table per key group. */
    private final StateTable[] stripes;
    /** Whether its tables hold {@code Long} keys only (a job keyed by {@code Long}, no namespaces). */
    private final boolean longKeys;
    /**
     * How its tables keep values flat ({@link StateTable}): single immutable values of a flat type without time to
     * live (a {@code TtlValue} wraps each value); {@code null} for reference values.
     */
    private final FlatCodec flat;

    RegisteredState(StateDescriptor<?> descriptor, TypeSerializer<?> keySerializer, TypeSerializer<Object> namespaceSerializer,
            int keyGroups) {
        this.name = descriptor.name();
        this.kind = StateKind.of(descriptor);
        this.descriptor = descriptor;
        this.namespaceSerializer = namespaceSerializer;
        this.ttl = descriptor.ttl();
        this.copier = EntryCopier.of(kind, descriptor, ttl != null);
        this.header = StateHeader.declared(descriptor, keySerializer, namespaceSerializer);
        this.longKeys = namespaceSerializer == null && keySerializer == Types.LONG;
        boolean single = kind == StateKind.VALUE || kind == StateKind.REDUCING || kind == StateKind.AGGREGATING;
        this.flat = single && ttl == null ? FlatCodec.of(StateKind.valueSerializer(descriptor)) : null;
        this.tables = longKeys ? null : new StateTable[keyGroups];
        this.stripes = longKeys ? new StateTable[STRIPES] : null;
        if (longKeys) {
            for (int i = 0; i < STRIPES; i++) {
                stripes[i] = new StateTable(true, flat);
            }
        }
    }

    /** The stripe of a {@code Long} key: a Fibonacci hash of its bits above {@link #STRIPE_SHIFT}. */
    static int stripeOf(long key) {
        return (int) (((key >> STRIPE_SHIFT) * 0x9E3779B97F4A7C15L) >>> (64 - Integer.numberOfTrailingZeros(STRIPES)));
    }

    /**
     * The table of the current key: its stripe for a state of {@code Long} keys, else its key group's table.
     *
     * @param index  the key group's index in the backend's range
     * @param stripe the key's {@link #stripeOf} if it is a {@code Long}
     */
    StateTable table(int index, int stripe) {
        return stripes != null ? stripes[stripe] : table(index);
    }

    /** The table of {@code key} of the key group at {@code index} in the backend's range (restores). */
    StateTable tableOf(int index, Object key) {
        return stripes != null ? stripes[stripeOf((Long) key)] : table(index);
    }

    private StateTable table(int index) {
        StateTable t = tables[index];
        if (t == null) {
            t = tables[index] = new StateTable(false, flat);
        }
        return t;
    }

    /** The stripes of the whole range (not to be changed), or {@code null} if there is a table per key group. */
    StateTable[] stripes() {
        return stripes;
    }

    /** The table of the key group at {@code index}, {@code null} if never used; only without {@link #stripes}. */
    StateTable keyGroupTable(int index) {
        return tables[index];
    }

    /** Its entries over all key groups. */
    int entryCount() {
        int n = 0;
        for (StateTable t : stripes != null ? stripes : tables) {
            n += t == null ? 0 : t.size();
        }
        return n;
    }
}
