package io.sluice.runtime.state.operator;

import io.sluice.api.state.ListState;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A subtask's list of operator state elements. */
final class OperatorListState<T> implements ListState<T> {
    private final List<T> elements = new ArrayList<>();

    @Override
    public List<T> get() {
        return new ArrayList<>(elements);
    }

    @Override
    public void add(T value) {
        elements.add(Objects.requireNonNull(value, "list state elements must not be null"));
    }

    @Override
    public void addAll(List<T> values) {
        values.forEach(this::add);
    }

    @Override
    public void update(List<T> values) {
        elements.clear();
        addAll(values);
    }

    @Override
    public void clear() {
        elements.clear();
    }
}
