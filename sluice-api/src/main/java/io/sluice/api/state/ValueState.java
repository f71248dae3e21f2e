package io.sluice.api.state;

/** A single value per key. Scoped to the current key of the operator; task thread only. */
public interface ValueState<T> {

    /** The value of the current key, or the descriptor's default when none was set. */
    T value();

    /** Sets the value of the current key; {@code null} clears it. */
    void update(T value);

    /** Removes the value of the current key. */
    void clear();
}
