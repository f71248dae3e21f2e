package io.sluice.api.functions;

import java.io.Serializable;

/**
 * Base of every user function. Functions are {@link Serializable}: they travel inside the job graph and
 * one copy is made per parallel subtask, so fields are per-subtask and need no synchronization.
 *
 * <p>Call order, all on the subtask's task thread: {@link #open} once, then the function's processing
 * methods any number of times, then {@link #close} once (also after a failure, best effort).
 */
public interface Function extends Serializable {

    /** Called once before the first record; state handles are obtained here from {@code context}. */
    default void open(RuntimeContext context) throws Exception {}

    /** Called once after the last record or when the task is cancelled. */
    default void close() throws Exception {}
}
