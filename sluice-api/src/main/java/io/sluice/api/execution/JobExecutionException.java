package io.sluice.api.execution;

/** A job failed. The message names the failing operator and subtask; the cause is the original exception. */
public final class JobExecutionException extends Exception {
    public JobExecutionException(String message, Throwable cause) {
        super(message, cause);
    }
}
