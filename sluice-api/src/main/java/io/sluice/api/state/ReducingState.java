package io.sluice.api.state;

/** One value per key, combined with each added value by the descriptor's {@link io.sluice.api.aggregation.Reducer}. */
public interface ReducingState<T> extends State {

    /** The reduction of everything added, or {@code null} if nothing was. */
    T get();

    void add(T value);
}
