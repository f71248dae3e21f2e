package io.sluice.runtime.state.heap;

import io.sluice.api.state.MapState;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A map per key (and namespace), stored as a {@link HashMap}; with TTL each map value carries its own expiry. A map
 * a pending snapshot still shares is copied before it is modified, and before reads hand out its values (or keys)
 * if they are of a mutable type (then the copy is deep: users may change values they got in place).
 */
final class HeapMapState<K, V> extends AbstractHeapState implements MapState<K, V> {

    HeapMapState(HeapKeyedStateBackend backend, RegisteredState registration) {
        super(backend, registration);
    }

    /** The current map for reading (its keys and values may be handed out, the map itself never), or {@code null}. */
    @SuppressWarnings("unchecked")
    private Map<Object, Object> readable() {
        StateTable t = table();
        int slot = slot(t);
        return slot < 0 ? null : (Map<Object, Object>) readableValue(t, slot);
    }

    /** The current map for writing, created if absent. */
    @SuppressWarnings("unchecked")
    private Map<Object, Object> writable() {
        StateTable t = table();
        int slot = slot(t);
        if (slot >= 0) {
            return (Map<Object, Object>) changeableValue(t, slot);
        }
        Map<Object, Object> map = new HashMap<>();
        insert(t, slot, map);
        return map;
    }

    /** Drops the key's entry when its map became empty. */
    private void removeIfEmpty(Map<Object, Object> map) {
        if (map.isEmpty()) {
            clear();
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(K key) {
        Map<Object, Object> map = readable();
        if (map == null) {
            return null;
        }
        Object unit = map.get(key);
        if (unit == null) {
            return null;
        }
        if (expired(unit)) {
            Map<Object, Object> w = writable();
            w.remove(key);
            removeIfEmpty(w);
            return null;
        }
        if (ttl && renewsOnRead()) {
            writable().put(key, renewedOnRead(unit));
        }
        return (V) unwrap(unit);
    }

    @Override
    public void put(K key, V value) {
        Objects.requireNonNull(key, "map state keys must not be null");
        Objects.requireNonNull(value, "map state values must not be null");
        writable().put(key, wrap(value));
    }

    @Override
    public void putAll(Map<K, V> entries) {
        if (entries.isEmpty()) {
            return;
        }
        Map<Object, Object> map = writable();
        for (Map.Entry<K, V> e : entries.entrySet()) {
            map.put(Objects.requireNonNull(e.getKey(), "map state keys must not be null"),
                    wrap(Objects.requireNonNull(e.getValue(), "map state values must not be null")));
        }
    }

    @Override
    public void remove(K key) {
        Map<Object, Object> map = readable();
        if (map != null && map.containsKey(key)) {
            Map<Object, Object> w = writable();
            w.remove(key);
            removeIfEmpty(w);
        }
    }

    @Override
    public boolean contains(K key) {
        return get(key) != null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Iterable<Map.Entry<K, V>> entries() {
        Map<Object, Object> map = readable();
        if (map == null) {
            return List.of();
        }
        List<Map.Entry<K, V>> live = new ArrayList<>(map.size());
        boolean anyExpired = false;
        for (Map.Entry<Object, Object> e : map.entrySet()) {
            if (expired(e.getValue())) {
                anyExpired = true;
            } else {
                live.add(new AbstractMap.SimpleImmutableEntry<>((K) e.getKey(), (V) unwrap(e.getValue())));
            }
        }
        if (anyExpired || (ttl && renewsOnRead())) {
            Map<Object, Object> w = writable();
            w.entrySet().removeIf(e -> expired(e.getValue()));
            if (renewsOnRead()) {
                w.replaceAll((k, unit) -> renewedOnRead(unit));
            }
            removeIfEmpty(w);
        }
        return live;
    }

    @Override
    public Iterable<K> keys() {
        List<K> keys = new ArrayList<>();
        entries().forEach(e -> keys.add(e.getKey()));
        return keys;
    }

    @Override
    public Iterable<V> values() {
        List<V> values = new ArrayList<>();
        entries().forEach(e -> values.add(e.getValue()));
        return values;
    }

    @Override
    public boolean isEmpty() {
        return !entries().iterator().hasNext();
    }

    @Override
    @SuppressWarnings("unchecked")
    public void mergeNamespaces(Object target, Collection<?> sources) {
        StateTable t = table();
        Map<Object, Object> merged = new HashMap<>();
        for (Object source : sources) {
            int slot = slotIn(t, source);
            if (slot >= 0) {
                merged.putAll((Map<Object, Object>) readableValue(t, slot)); // its values now go into the target's map
                t.removeAt(slot);
            }
        }
        if (merged.isEmpty()) {
            return;
        }
        int slot = slotIn(t, target);
        if (slot >= 0) {
            ((Map<Object, Object>) changeableValue(t, slot)).putAll(merged);
        } else {
            t.insert(slot, entryKey(target), entryHash(target), merged);
        }
    }
}
