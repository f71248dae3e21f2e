package io.sluice.runtime.cluster;

import io.sluice.api.execution.JobExecutionException;
import io.sluice.api.execution.JobExecutor;
import io.sluice.api.execution.SubmitOptions;
import io.sluice.api.graph.JobGraph;
import io.sluice.runtime.config.EngineConfig;
import io.sluice.runtime.monitor.JobRegistry;
import java.util.Objects;

/**
 * The embedded local cluster: plans a job graph and runs every task on its own thread in this JVM, connected by
 * in-process channels; with checkpointing, restarts failed runs from the latest completed checkpoint. Found by the
 * API through {@link java.util.ServiceLoader} (then with {@link EngineConfig#defaults()}), or given to a
 * {@code StreamEnvironment} explicitly to run its jobs with other engine settings. Thread-safe: jobs may be submitted
 * from any thread, and each runs independently.
 */
public final class LocalExecutor implements JobExecutor {
    private final EngineConfig engine;
    /** Where each job is registered for monitoring, or {@code null}. */
    private final JobRegistry registry;

    /** With the default engine settings (the constructor {@code ServiceLoader} calls). */
    public LocalExecutor() {
        this(EngineConfig.defaults());
    }

    /** Runs every job it is given with {@code engine}'s batch size, channel capacity and flush interval. */
    public LocalExecutor(EngineConfig engine) {
        this(engine, null);
    }

    /**
     * Runs every job with {@code engine}'s settings and registers each in {@code registry} (for the REST API and
     * dashboard of {@code bin/sluice run --web-port}); {@code null}: none.
     */
    public LocalExecutor(EngineConfig engine, JobRegistry registry) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.registry = registry;
    }

    @Override
    public LocalJob submit(JobGraph graph) throws JobExecutionException {
        return submit(graph, SubmitOptions.fresh());
    }

    @Override
    public LocalJob submit(JobGraph graph, SubmitOptions options) throws JobExecutionException {
        JobSupervisor job = new JobSupervisor(graph, options, new LocalDeployment(engine));
        if (registry != null) {
            registry.register(job);
        }
        return job;
    }
}
