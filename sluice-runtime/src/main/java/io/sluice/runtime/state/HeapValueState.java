package io.sluice.runtime.state;

import io.sluice.api.state.ValueState;
import java.util.HashMap;

/** A value per key, in one hash map per key group. */
final class HeapValueState<T> implements ValueState<T> {
    private final HeapKeyedStateBackend backend;
    private final HashMap<Object, T>[] byKeyGroup;
    private final T defaultValue;

    @SuppressWarnings("unchecked")
    HeapValueState(HeapKeyedStateBackend backend, int keyGroups, T defaultValue) {
        this.backend = backend;
        this.byKeyGroup = new HashMap[keyGroups];
        this.defaultValue = defaultValue;
    }

    private HashMap<Object, T> map() {
        int i = backend.currentIndex();
        HashMap<Object, T> map = byKeyGroup[i];
        if (map == null) {
            map = byKeyGroup[i] = new HashMap<>();
        }
        return map;
    }

    @Override
    public T value() {
        T v = map().get(backend.currentKey());
        return v != null ? v : defaultValue;
    }

    @Override
    public void update(T value) {
        if (value == null) {
            clear();
        } else {
            map().put(backend.currentKey(), value);
        }
    }

    @Override
    public void clear() {
        map().remove(backend.currentKey());
    }
}
