package io.sluice.runtime.monitor;

/**
 * What an operator may do to a job. Each call blocks until it is done (a savepoint may take minutes); callers run it
 * off their request threads. Implementations are thread-safe.
 */
public interface JobControl {

    /** Takes a savepoint under {@code directory} (absolute, already checked by the caller); returns its path. */
    String savepoint(String directory) throws Exception;

    /** Takes a savepoint under {@code directory}, then stops the job; returns the savepoint's path. */
    String stopWithSavepoint(String directory) throws Exception;

    /** Cancels the job (no savepoint); returns once it is asked, not necessarily ended. */
    void cancel() throws Exception;
}
