package io.sluice.state.rocksdb;

import io.sluice.api.aggregation.Reducer;
import io.sluice.api.state.ReducingState;
import io.sluice.api.state.ReducingStateDescriptor;
import io.sluice.api.types.TypeSerializer;
import java.util.Collection;

/** One reduced value per key (and namespace); each add reads, reduces and writes it back. */
final class RocksReducingState<T> extends AbstractRocksState implements ReducingState<T> {
    private final Reducer<T> reducer;
    private final TypeSerializer<T> serializer;

    RocksReducingState(RocksDbKeyedStateBackend backend, StateColumn column, ReducingStateDescriptor<T> d, TypeSerializer<?> ns) {
        super(backend, column, d, ns);
        this.reducer = d.reducer();
        this.serializer = d.serializer();
    }

    @Override
    public T get() {
        byte[] unit = readUnit(key());
        return unit == null ? null : decode(serializer, unit);
    }

    @Override
    public void add(T value) {
        byte[] key = key();
        byte[] stored = get(key);
        T next;
        if (stored == null || expired(stored)) {
            next = value;
        } else {
            try {
                next = reducer.reduce(decode(serializer, stored), value);
            } catch (Exception e) {
                throw new IllegalStateException("reduce function of state '" + column.name + "' failed", e);
            }
        }
        put(key, encode(serializer, next));
    }

    @Override
    public void mergeNamespaces(Object target, Collection<?> sources) throws Exception {
        T merged = null;
        for (Object source : sources) {
            byte[] key = keyIn(source);
            byte[] stored = get(key);
            if (stored != null) {
                delete(key);
                if (!expired(stored)) {
                    T v = decode(serializer, stored);
                    merged = merged == null ? v : reducer.reduce(merged, v);
                }
            }
        }
        if (merged != null) {
            Object previous = namespace();
            setCurrentNamespace(target);
            try {
                add(merged);
            } finally {
                if (previous != null) {
                    setCurrentNamespace(previous);
                }
            }
        }
    }
}
