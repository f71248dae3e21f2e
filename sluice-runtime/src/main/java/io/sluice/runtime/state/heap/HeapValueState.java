package io.sluice.runtime.state.heap;

import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.TypeSerializer;
import java.util.function.UnaryOperator;

/**
 * A value per key (and namespace). {@link #update} replaces the value; but users also change a value they read in
 * place (a list or map value: {@code value().add(x)}), so a value a pending snapshot still shares is handed out as a
 * deep copy (once per snapshot; immutable strings, boxes and enums are not copied).
 */
final class HeapValueState<T> extends AbstractHeapState implements ValueState<T> {
    private final T defaultValue;
    private final TypeSerializer<T> serializer;
    /** {@link #unshared} as a function, made once: {@code value()} is the hottest state call. */
    private final UnaryOperator<Object> unshare = this::unshared;

    @SuppressWarnings("unchecked")
    HeapValueState(HeapKeyedStateBackend backend, RegisteredState registration) {
        super(backend, registration);
        ValueStateDescriptor<T> d = (ValueStateDescriptor<T>) registration.descriptor;
        this.defaultValue = d.defaultValue();
        this.serializer = d.serializer();
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
        if (ttl && expired(stored)) {
            t.removeAt(slot);
            return defaultValue;
        }
        stored = t.valueForMutation(slot, unshare);
        if (ttl && renewsOnRead()) {
            t.setValueAt(slot, renewedOnRead(stored));
        }
        return (T) unwrap(stored);
    }

    /** A stored unit a snapshot shares, made private: its value deep-copied unless immutable. */
    private Object unshared(Object shared) {
        Object value = unwrap(shared);
        if (value instanceof String || value instanceof Long || value instanceof Integer || value instanceof Double
                || value instanceof Boolean || value instanceof Enum<?> || value instanceof Short || value instanceof Byte
                || value instanceof Float || value instanceof Character) {
            return shared;
        }
        Object copy = deepCopy(serializer, value);
        return ttl ? new TtlValue(copy, ((TtlValue) shared).expiresAt()) : copy;
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
