package io.sluice.api.state;

/** One value per key, combined with each added value by the descriptor's reduce function. */
public interface ReducingState<T> extends State {

    /** The reduction of everything added, or {@code null} if nothing was. */
    T get();

    void add(T value);
}
