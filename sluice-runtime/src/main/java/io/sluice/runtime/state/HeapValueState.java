package io.sluice.runtime.state;

import io.sluice.api.state.ValueState;

/**
 * A value per key, in one {@link StateTable} per key group. The slot found by {@link #value()} is remembered for
 * the current key, so the usual read-then-update costs one probe.
 */
final class HeapValueState<T> implements ValueState<T> {
    private final HeapKeyedStateBackend backend;
    private final StateTable[] byKeyGroup;
    private final T defaultValue;
    // The slot cache: valid while the backend's key epoch and the table's version are unchanged.
    private long cachedEpoch = -1;
    private StateTable cachedTable;
    private int cachedVersion;
    private int cachedSlot;

    HeapValueState(HeapKeyedStateBackend backend, int keyGroups, T defaultValue) {
        this.backend = backend;
        this.byKeyGroup = new StateTable[keyGroups];
        this.defaultValue = defaultValue;
    }

    private StateTable table() {
        int i = backend.currentIndex();
        StateTable t = byKeyGroup[i];
        if (t == null) {
            t = byKeyGroup[i] = new StateTable();
        }
        return t;
    }

    /** The current key's slot in {@code t}, from the cache or a probe. */
    private int slot(StateTable t) {
        long epoch = backend.keyEpoch();
        if (epoch == cachedEpoch && t == cachedTable && t.version() == cachedVersion) {
            return cachedSlot;
        }
        int slot = t.find(backend.currentKey(), backend.currentHash());
        cachedEpoch = epoch;
        cachedTable = t;
        cachedVersion = t.version();
        cachedSlot = slot;
        return slot;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T value() {
        StateTable t = table();
        int slot = slot(t);
        return slot >= 0 ? (T) t.valueAt(slot) : defaultValue;
    }

    @Override
    public void update(T value) {
        if (value == null) {
            clear();
            return;
        }
        StateTable t = table();
        int slot = slot(t);
        if (slot >= 0) {
            t.setValueAt(slot, value);
        } else {
            t.insert(slot, backend.currentKey(), backend.currentHash(), value);
        }
    }

    @Override
    public void clear() {
        StateTable t = table();
        int slot = slot(t);
        if (slot >= 0) {
            t.removeAt(slot);
        }
    }

    /** Entries of all key groups; for tests and, later, snapshots. */
    int size() {
        int n = 0;
        for (StateTable t : byKeyGroup) {
            n += t == null ? 0 : t.size();
        }
        return n;
    }
}
