package io.sluice.state.rocksdb;

import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.TypeSerializer;

/**
 * A value per key (and namespace). Each {@link #value()} deserializes a fresh object: unlike the heap backend, changing
 * a returned object in place does not change the state; {@link #update} does.
 */
final class RocksValueState<T> extends AbstractRocksState implements ValueState<T> {
    private final T defaultValue;
    private final TypeSerializer<T> serializer;

    RocksValueState(RocksDbKeyedStateBackend backend, StateColumn column, ValueStateDescriptor<T> d, TypeSerializer<?> ns) {
        super(backend, column, d, ns);
        this.defaultValue = d.defaultValue();
        this.serializer = d.serializer();
    }

    @Override
    public T value() {
        byte[] unit = readUnit(key());
        return unit == null ? defaultValue : decode(serializer, unit);
    }

    @Override
    public void update(T value) {
        if (value == null) {
            clear();
        } else {
            put(key(), encode(serializer, value));
        }
    }
}
