package io.sluice.runtime.state.heap;

import io.sluice.api.functions.ReduceFunction;
import io.sluice.api.state.ReducingState;
import io.sluice.api.state.ReducingStateDescriptor;
import java.util.Collection;

/** One reduced value per key (and namespace); each add replaces it with the reduction. */
final class HeapReducingState<T> extends AbstractHeapState implements ReducingState<T>,
        io.sluice.runtime.state.InternalAppendingState {
    private final ReduceFunction<T> reducer;

    @SuppressWarnings("unchecked")
    HeapReducingState(HeapKeyedStateBackend backend, RegisteredState registration) {
        super(backend, registration);
        this.reducer = ((ReducingStateDescriptor<T>) registration.descriptor).reducer();
    }

    @Override
    @SuppressWarnings("unchecked")
    public T get() {
        return (T) readLiveValue();
    }

    @Override
    @SuppressWarnings("unchecked")
    public void add(T value) {
        addAndTellIfNew(value);
    }

    @Override
    public Object accumulator() {
        return readLiveValue();
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean addAndTellIfNew(Object added) {
        T value = (T) added;
        StateTable t = table();
        int slot = slot(t);
        if (slot < 0) {
            insert(t, slot, wrap(value));
            return true;
        }
        Object stored = t.valueAt(slot);
        boolean expired = expired(stored);
        T next;
        try {
            next = expired ? value : reducer.reduce((T) unwrap(stored), value);
        } catch (Exception e) {
            throw new IllegalStateException("reduce function of state '" + registration.name + "' failed", e);
        }
        t.setValueAt(slot, wrap(next));
        return expired;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void mergeNamespaces(Object target, Collection<?> sources) throws Exception {
        StateTable t = table();
        T merged = null;
        for (Object source : sources) {
            int slot = slotIn(t, source);
            if (slot >= 0) {
                Object stored = t.valueAt(slot);
                t.removeAt(slot);
                if (!expired(stored)) {
                    T v = (T) unwrap(stored);
                    merged = merged == null ? v : reducer.reduce(merged, v);
                }
            }
        }
        if (merged != null) {
            Object previous = namespace();
            setCurrentNamespace(target);
            add(merged);
            setCurrentNamespace(previous);
        }
    }
}
