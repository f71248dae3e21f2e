package io.sluice.runtime.state.heap;

import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;

/**
 * A value per key (and namespace). {@link #update} replaces the value; but users also change a value they read in
 * place (a list or map value: {@code value().add(x)}), so a value a pending snapshot still shares is handed out as a
 * deep copy (once per snapshot; values of immutable types are never copied).
 */
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
        Object value = readLiveValue(true);
        return value == null ? defaultValue : (T) value;
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
