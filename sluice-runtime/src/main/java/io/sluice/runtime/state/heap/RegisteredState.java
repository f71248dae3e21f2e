package io.sluice.runtime.state.heap;

import io.sluice.api.state.StateDescriptor;
import io.sluice.api.state.StateTtlConfig;
import io.sluice.api.types.FlatCodec;
import io.sluice.api.types.TypeSerializer;
import io.sluice.api.types.Types;
import io.sluice.runtime.state.snapshot.StateHeader;

/**
 * One keyed state of a backend: its descriptor, the namespace serializer (windows), its canonical header (which
 * snapshots record and restores check), how its stored values are copied when a snapshot shares them, and one table
 * per key group of the backend's range, created on first use.
 */
final class RegisteredState {
    final String name;
    final StateKind kind;
    final StateDescriptor<?> descriptor;
    final TypeSerializer<Object> namespaceSerializer;
    final StateTtlConfig ttl;
    final EntryCopier copier;
    final StateHeader header;
    final StateTable[] tables;
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
        this.tables = new StateTable[keyGroups];
        this.longKeys = namespaceSerializer == null && keySerializer == Types.LONG;
        boolean single = kind == StateKind.VALUE || kind == StateKind.REDUCING || kind == StateKind.AGGREGATING;
        this.flat = single && ttl == null ? FlatCodec.of(StateKind.valueSerializer(descriptor)) : null;
    }

    StateTable table(int index) {
        StateTable t = tables[index];
        if (t == null) {
            t = tables[index] = new StateTable(longKeys, flat);
        }
        return t;
    }
}
