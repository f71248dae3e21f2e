package io.sluice.api.state;

/**
 * A piece of state. Keyed state is scoped to the operator's current key (and, inside windows, to the current
 * window); operator state belongs to a subtask. Handles are obtained in {@code open} and used on the task thread
 * only.
 *
 * <p>Objects got from keyed state (a value, list elements, map values, a reduced value, an aggregate's result) may be
 * changed in place, but only a change written back ({@code update}, {@code put}, {@code add}) is part of the state on
 * every backend; a change not written back has no defined effect (the rule in full: {@link ValueState}). A checkpoint
 * holds the state as it was at its barrier, whatever is changed afterwards. Do not keep such objects across records.
 */
public interface State {
    /** Removes the state's content for the current scope. */
    void clear();
}
