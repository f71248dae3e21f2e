package io.sluice.api.execution;

/** A handle on a submitted job. Thread-safe. */
public interface JobClient {

    /** The counts so far. */
    JobProgress progress();

    /** Waits until the job ends; returns its result or throws its failure. */
    JobResult await() throws JobExecutionException, InterruptedException;

    /** Stops the job; {@link #await()} then throws. Idempotent. */
    void cancel();
}
