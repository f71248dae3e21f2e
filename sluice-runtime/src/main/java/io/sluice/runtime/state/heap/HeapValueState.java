package io.sluice.runtime.state.heap;

import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;

/** A value per key (and namespace). Values are replaced, never mutated, so snapshots need no copies. */
final class HeapValueState<T> extends AbstractHeapState implements ValueState<T> {
    private final T defaultValue;

    @SuppressWarnings("unchecked")
    HeapValueState(HeapKeyedStateBackend backend, RegisteredState registration) {
        super(backend, registration);
        this.defaultValue = ((ValueStateDescriptor<T>) registration.descriptor).defaultValue();
    }

    @Override
    @SuppressWarnings("unchecked")
    public T value() {
        StateTable t = table();
        int slot = slot(t);
        if (slot < 0) {
            return defaultValue;
        }
        Object stored = t.valueAt(slot);
        if (ttl) {
            if (expired(stored)) {
                t.removeAt(slot);
                return defaultValue;
            }
            if (renewsOnRead()) {
                t.setValueAt(slot, renewedOnRead(stored));
            }
        }
        return (T) unwrap(stored);
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
            t.setValueAt(slot, wrap(value));
        } else {
            insert(t, slot, wrap(value));
        }
    }
}
