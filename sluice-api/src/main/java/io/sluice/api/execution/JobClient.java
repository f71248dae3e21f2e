package io.sluice.api.execution;

/** A handle on a submitted job. Thread-safe. */
public interface JobClient {

    /** The counts so far. */
    JobProgress progress();

    /** Waits until the job ends; returns its result or throws its failure. */
    JobResult await() throws JobExecutionException, InterruptedException;

    /** Stops the job; {@link #await()} then throws. Idempotent. */
    void cancel();

    /**
     * Takes a savepoint now: a checkpoint written under {@code directory} that is never deleted by the job, to resume
     * from later ({@code StreamEnvironment.restoreFrom} or {@code --from-checkpoint PATH}), also at another
     * parallelism. Waits until it is complete and returns its path.
     */
    String triggerSavepoint(String directory) throws JobExecutionException, InterruptedException;

    /**
     * Takes a savepoint, lets the job commit the side effects it covers (transactional sinks), then stops the job;
     * {@link #await()} then returns normally. Returns the savepoint's path.
     */
    String stopWithSavepoint(String directory) throws JobExecutionException, InterruptedException;
}
