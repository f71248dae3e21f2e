package io.sluice.api.execution;

import io.sluice.api.graph.JobGraph;

/**
 * Runs job graphs: the service a runtime provides. The API finds it with {@link java.util.ServiceLoader}, so user
 * programs depend on the API only. The embedded local cluster is the default implementation.
 */
public interface JobExecutor {

    /** Validates and plans the graph (errors here are thrown at once), then starts it. */
    JobClient submit(JobGraph graph) throws JobExecutionException;

    /** Starts the graph as {@code options} say (for instance restored from a retained checkpoint or savepoint). */
    default JobClient submit(JobGraph graph, SubmitOptions options) throws JobExecutionException {
        if (options.restorePath() != null) {
            throw new JobExecutionException("this runtime cannot restore checkpoints", null);
        }
        return submit(graph);
    }
}
