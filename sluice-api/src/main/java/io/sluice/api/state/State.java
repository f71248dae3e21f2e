package io.sluice.api.state;

/**
 * A piece of state. Keyed state is scoped to the operator's current key (and, inside windows, to the current
 * window); operator state belongs to a subtask. Handles are obtained in {@code open} and used on the task thread
 * only.
 */
public interface State {
    /** Removes the state's content for the current scope. */
    void clear();
}
