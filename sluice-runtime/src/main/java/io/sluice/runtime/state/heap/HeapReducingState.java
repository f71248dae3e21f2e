package io.sluice.runtime.state.heap;

import io.sluice.api.aggregation.Reducer;
import io.sluice.api.state.ReducingState;
import io.sluice.api.state.ReducingStateDescriptor;
import java.util.Collection;

/**
 * One reduced value per key (and namespace); each add replaces it with the reduction. A reducer may change its first
 * argument in place and users may change the value {@link #get} returns, so a value a pending snapshot still shares is
 * copied first (values of immutable types never are).
 */
final class HeapReducingState<T> extends AbstractHeapState implements ReducingState<T>,
        io.sluice.runtime.state.InternalAppendingState {
    private final Reducer<T> reducer;

    @SuppressWarnings("unchecked")
    HeapReducingState(HeapKeyedStateBackend backend, RegisteredState registration) {
        super(backend, registration);
        this.reducer = ((ReducingStateDescriptor<T>) registration.descriptor).reducer();
    }

    @Override
    @SuppressWarnings("unchecked")
    public T get() {
        return (T) readLiveValue(true);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void add(T value) {
        addAndTellIfNew(value);
    }

    @Override
    public Object accumulator() {
        return readLiveValue(false); // read only: no copy
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
        boolean expired = expiredAt(t, slot);
        T next;
        try {
            next = expired ? value : reducer.reduce((T) unwrap(changeableValue(t, slot)), value);
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
            T v = (T) takeLiveValue(t, source);
            if (v != null) {
                merged = merged == null ? v : reducer.reduce(merged, v);
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
