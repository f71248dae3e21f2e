package io.sluice.runtime.cluster;

import io.sluice.api.execution.JobClient;

/**
 * A job on the embedded cluster, as {@link LocalExecutor} returns it: a {@link JobClient} that the process running it
 * can also <em>abandon</em>, for a process that runs jobs on behalf of another (a cluster's worker).
 */
public interface LocalJob extends JobClient {

    /**
     * Stops the job here without ending it for good: its tasks are cancelled as by {@link #cancel()}, but its
     * completed checkpoints are kept whatever the job's retention on cancel says, as when a process stops, because
     * the job goes on elsewhere from them (a worker that lost its coordinator, or whose attempt was superseded).
     * {@link #await()} then throws, naming {@code reason}. Idempotent; a job that already ended is left as it ended.
     */
    void abandon(String reason);
}
