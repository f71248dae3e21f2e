package io.sluice.runtime.state.operator;

import io.sluice.api.state.MapState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A subtask's copy of a broadcast state. Insertion-ordered so every subtask iterates it the same way. Writes are
 * allowed only where the runtime hands out this object itself (the broadcast side); the data side gets a read-only
 * view.
 */
final class BroadcastMapState<K, V> implements MapState<K, V> {
    private final LinkedHashMap<K, V> map = new LinkedHashMap<>();

    @Override
    public V get(K key) {
        return map.get(key);
    }

    @Override
    public void put(K key, V value) {
        map.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    }

    @Override
    public void putAll(Map<K, V> entries) {
        entries.forEach(this::put);
    }

    @Override
    public void remove(K key) {
        map.remove(key);
    }

    @Override
    public boolean contains(K key) {
        return map.containsKey(key);
    }

    @Override
    public Iterable<Map.Entry<K, V>> entries() {
        return new ArrayList<>(map.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue())).toList());
    }

    @Override
    public Iterable<K> keys() {
        return new ArrayList<>(map.keySet());
    }

    @Override
    public Iterable<V> values() {
        return new ArrayList<>(map.values());
    }

    @Override
    public boolean isEmpty() {
        return map.isEmpty();
    }

    @Override
    public void clear() {
        map.clear();
    }

    List<K> keyList() {
        return new ArrayList<>(map.keySet());
    }
}
