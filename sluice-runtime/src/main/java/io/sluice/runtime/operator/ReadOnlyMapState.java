package io.sluice.runtime.operator;

import io.sluice.api.state.MapState;
import java.util.Map;

/**
 * A read-only view of a broadcast state, for the data side: only the broadcast side may write it, so that every
 * subtask's copy stays the same.
 */
final class ReadOnlyMapState<K, V> implements MapState<K, V> {
    private final MapState<K, V> delegate;

    private ReadOnlyMapState(MapState<K, V> delegate) {
        this.delegate = delegate;
    }

    static <K, V> MapState<K, V> of(MapState<K, V> delegate) {
        return new ReadOnlyMapState<>(delegate);
    }

    private static IllegalStateException readOnly() {
        return new IllegalStateException("broadcast state is read-only here: only the broadcast side of a broadcast "
                + "process function may change it");
    }

    @Override
    public V get(K key) {
        return delegate.get(key);
    }

    @Override
    public void put(K key, V value) {
        throw readOnly();
    }

    @Override
    public void putAll(Map<K, V> entries) {
        throw readOnly();
    }

    @Override
    public void remove(K key) {
        throw readOnly();
    }

    @Override
    public boolean contains(K key) {
        return delegate.contains(key);
    }

    @Override
    public Iterable<Map.Entry<K, V>> entries() {
        return delegate.entries();
    }

    @Override
    public Iterable<K> keys() {
        return delegate.keys();
    }

    @Override
    public Iterable<V> values() {
        return delegate.values();
    }

    @Override
    public boolean isEmpty() {
        return delegate.isEmpty();
    }

    @Override
    public void clear() {
        throw readOnly();
    }
}
