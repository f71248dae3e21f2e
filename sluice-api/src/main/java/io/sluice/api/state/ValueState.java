package io.sluice.api.state;

/** A single value per key. */
public interface ValueState<T> extends State {

    /** The value of the current key, or the descriptor's default when none was set (or it expired). */
    T value();

    /** Sets the value of the current key; {@code null} clears it. */
    void update(T value);
}
