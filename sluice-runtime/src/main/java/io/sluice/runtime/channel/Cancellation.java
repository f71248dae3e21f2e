package io.sluice.runtime.channel;

/**
 * The job-wide stop flag. Set once by the first failure or a cancel; every task checks it between batches and
 * while it waits, so that all threads stop promptly.
 */
public final class Cancellation {
    private volatile boolean cancelled;

    public void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /** Throws {@link CancelledException} once the job is cancelled. */
    public void throwIfCancelled() {
        if (cancelled) {
            throw new CancelledException();
        }
    }

    /** Unwinds a task whose job was cancelled; never reported as a failure of its own. */
    public static final class CancelledException extends RuntimeException {
        public CancelledException() {
            super("job cancelled", null, false, false);
        }
    }
}
