package io.sluice.api.state;

import java.util.List;

/**
 * A list of values per key (or per subtask, as operator state). Elements must not be {@code null}. An element got
 * from {@link #get()} and changed in place is part of the state once written back with {@link #update} (the rule:
 * {@link ValueState}).
 */
public interface ListState<T> extends State {

    /** The elements in insertion order; empty (never {@code null}) when there are none. The list is a copy. */
    List<T> get();

    void add(T value);

    void addAll(List<T> values);

    /** Replaces the content. */
    void update(List<T> values);
}
