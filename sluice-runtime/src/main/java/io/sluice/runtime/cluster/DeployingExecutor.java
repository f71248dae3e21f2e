package io.sluice.runtime.cluster;

import io.sluice.api.execution.JobClient;
import io.sluice.api.execution.JobExecutionException;
import io.sluice.api.execution.JobExecutor;
import io.sluice.api.execution.SubmitOptions;
import io.sluice.api.graph.JobGraph;
import java.util.Objects;

/**
 * Runs each job under a supervisor in this JVM (its plan, checkpoint coordinator, source enumerators and restarts)
 * and has each attempt's tasks built and run by a {@link TaskDeployment}: a cluster's coordinator runs jobs this way
 * with its workers. Thread-safe.
 */
public final class DeployingExecutor implements JobExecutor {
    private final TaskDeployment deployment;

    public DeployingExecutor(TaskDeployment deployment) {
        this.deployment = Objects.requireNonNull(deployment, "deployment");
    }

    @Override
    public JobClient submit(JobGraph graph) throws JobExecutionException {
        return submit(graph, SubmitOptions.fresh());
    }

    @Override
    public JobClient submit(JobGraph graph, SubmitOptions options) throws JobExecutionException {
        return new JobSupervisor(graph, options, deployment);
    }
}
