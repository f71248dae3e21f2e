package io.sluice.runtime.state;

/**
 * An appending state (reducing, aggregating) that tells whether an add created the current key's entry in the current
 * namespace: the window operator registers a window's timers only for its first record, instead of for every record.
 * Task thread only.
 */
public interface InternalAppendingState {

    /**
     * Adds {@code value} as {@code AppendingState.add} does; {@code true} if the current key had no (live) entry in
     * the current namespace before.
     */
    boolean addAndTellIfNew(Object value) throws Exception;

    /**
     * The current key's accumulator in the current namespace (aggregating state; the reduced value of reducing
     * state), or {@code null} if there is none. Read only: the caller must not change it (it may be the stored
     * object).
     */
    Object accumulator();
}
