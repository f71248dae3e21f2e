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
 * one per key group of the backend's range, created on first use, or, for a state of {@code Long} keys, one for the
 * whole range.
 *
 * <p>Why one table for {@code Long} keys: such a table keeps keys close in value in nearby slots (see
 * {@link StateTable}), which pays only if the keys that come one after another share a table. Per key group, ids
 * handed out in sequence land in as many tables as there are key groups, one id in each, and each lookup of a new id
 * misses the cache again. Snapshots still go per key group: the writer sorts the captured slots by key group
 * ({@link KeyGroupSlots}).
 */
final class RegisteredState {
    final String name;
    final StateKind kind;
    final StateDescriptor<?> descriptor;
    final TypeSerializer<Object> namespaceSerializer;
    final StateTtlConfig ttl;
    final EntryCopier copier;
    final StateHeader header;
    /** One table per key group of the range ({@code null} until used); {@code null} for a {@link #rangeTable}. */
    private final StateTable[] tables;
    /** The one table of the whole range, for {@code Long} keys; {@code null} if there is one per key group. */
    private final StateTable rangeTable;
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
        this.rangeTable = longKeys ? new StateTable(true, flat) : null;
    }

    /** The table of the key group at {@code index} in the backend's range (the range's one table, if it has one). */
    StateTable table(int index) {
        if (rangeTable != null) {
            return rangeTable;
        }
        StateTable t = tables[index];
        if (t == null) {
            t = tables[index] = new StateTable(false, flat);
        }
        return t;
    }

    /** The one table of the whole range, or {@code null} if there is one per key group. */
    StateTable rangeTable() {
        return rangeTable;
    }

    /** The table of the key group at {@code index}, {@code null} if never used; only without a {@link #rangeTable}. */
    StateTable keyGroupTable(int index) {
        return tables[index];
    }

    /** Its entries over all key groups. */
    int entryCount() {
        if (rangeTable != null) {
            return rangeTable.size();
        }
        int n = 0;
        for (StateTable t : tables) {
            n += t == null ? 0 : t.size();
        }
        return n;
    }
}
