package io.sluice.api.state;

import java.util.Map;

/**
 * A map per key. Map keys must not be {@code null}; values must not be {@code null}. A value got from the map and
 * changed in place is part of the state once put back with {@link #put} (the rule: {@link ValueState}); never change a
 * map key in place.
 */
public interface MapState<K, V> extends State {

    /** The value for {@code key}, or {@code null}. */
    V get(K key);

    void put(K key, V value);

    void putAll(Map<K, V> entries);

    void remove(K key);

    boolean contains(K key);

    /** The entries of the current key's map, a snapshot copy safe to iterate while modifying the state. */
    Iterable<Map.Entry<K, V>> entries();

    Iterable<K> keys();

    Iterable<V> values();

    boolean isEmpty();
}
