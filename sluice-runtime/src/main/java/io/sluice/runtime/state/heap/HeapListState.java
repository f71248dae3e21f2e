package io.sluice.runtime.state.heap;

import io.sluice.api.state.ListState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A list per key (and namespace), stored as an {@link ArrayList}; with TTL each element carries its own expiry.
 * A list a pending snapshot still shares is copied before it is appended to, and before {@link #get} hands out its
 * elements if they are of a mutable type (then the copy is deep: users may change the elements in place).
 */
final class HeapListState<T> extends AbstractHeapState implements ListState<T> {

    HeapListState(HeapKeyedStateBackend backend, RegisteredState registration) {
        super(backend, registration);
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<T> get() {
        StateTable t = table();
        int slot = slot(t);
        if (slot < 0) {
            return new ArrayList<>();
        }
        List<Object> stored = (List<Object>) readableValue(t, slot);
        if (!ttl) {
            return new ArrayList<>((List<T>) stored);
        }
        List<T> live = new ArrayList<>(stored.size());
        boolean anyExpired = false;
        for (Object unit : stored) {
            if (expired(unit)) {
                anyExpired = true;
            } else {
                live.add((T) unwrap(unit));
            }
        }
        if (live.isEmpty()) {
            t.removeAt(slot);
        } else if (anyExpired || renewsOnRead()) {
            List<Object> rewritten = new ArrayList<>(live.size());
            if (renewsOnRead()) {
                for (T v : live) {
                    rewritten.add(wrap(v));
                }
            } else {
                for (Object unit : stored) {
                    if (!expired(unit)) {
                        rewritten.add(unit); // keeps its expiry: reading does not renew
                    }
                }
            }
            t.setValueAt(slot, rewritten);
        }
        return live;
    }

    @Override
    public void add(T value) {
        Objects.requireNonNull(value, "list state elements must not be null");
        appendAll(List.of(value));
    }

    @Override
    public void addAll(List<T> values) {
        if (!values.isEmpty()) {
            appendAll(values);
        }
    }

    @SuppressWarnings("unchecked")
    private void appendAll(List<T> values) {
        StateTable t = table();
        int slot = slot(t);
        List<Object> list;
        if (slot >= 0) {
            list = (List<Object>) changeableValue(t, slot);
        } else {
            list = new ArrayList<>(Math.max(4, values.size()));
            insert(t, slot, list);
        }
        for (T v : values) {
            list.add(wrap(Objects.requireNonNull(v, "list state elements must not be null")));
        }
    }

    @Override
    public void update(List<T> values) {
        StateTable t = table();
        int slot = slot(t);
        if (values.isEmpty()) {
            if (slot >= 0) {
                t.removeAt(slot);
            }
            return;
        }
        List<Object> list = new ArrayList<>(values.size());
        for (T v : values) {
            list.add(wrap(Objects.requireNonNull(v, "list state elements must not be null")));
        }
        if (slot >= 0) {
            t.setValueAt(slot, list);
        } else {
            insert(t, slot, list);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void mergeNamespaces(Object target, Collection<?> sources) {
        StateTable t = table();
        List<Object> merged = new ArrayList<>();
        for (Object source : sources) {
            int slot = slotIn(t, source);
            if (slot >= 0) {
                merged.addAll((List<Object>) readableValue(t, slot)); // its elements now go into the target's list
                t.removeAt(slot);
            }
        }
        if (merged.isEmpty()) {
            return;
        }
        int slot = slotIn(t, target);
        if (slot >= 0) {
            ((List<Object>) changeableValue(t, slot)).addAll(merged);
        } else {
            t.insert(slot, entryKey(target), entryHash(target), merged);
        }
    }
}
