package io.sluice.runtime.cluster;

import io.sluice.api.execution.JobClient;
import io.sluice.api.execution.JobExecutionException;
import io.sluice.api.execution.JobExecutor;
import io.sluice.api.execution.SubmitOptions;
import io.sluice.api.graph.JobGraph;

/**
 * The embedded local cluster: plans a job graph and runs every task on its own thread in this JVM, connected by
 * in-process channels; with checkpointing, restarts failed runs from the latest completed checkpoint. Found by the
 * API through {@link java.util.ServiceLoader}.
 */
public final class LocalExecutor implements JobExecutor {

    @Override
    public JobClient submit(JobGraph graph) throws JobExecutionException {
        return submit(graph, SubmitOptions.fresh());
    }

    @Override
    public JobClient submit(JobGraph graph, SubmitOptions options) throws JobExecutionException {
        return new JobSupervisor(graph, options);
    }
}
