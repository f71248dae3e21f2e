package io.sluice.runtime.cluster;

import io.sluice.api.execution.JobClient;
import io.sluice.api.execution.JobExecutionException;
import io.sluice.api.execution.JobExecutor;
import io.sluice.api.graph.JobGraph;
import io.sluice.runtime.plan.ChainPlanner;
import io.sluice.runtime.plan.ExecutionPlan;
import io.sluice.runtime.task.Cancellation;
import io.sluice.runtime.task.Task;
import java.util.List;

/**
 * The embedded local cluster: plans a job graph and runs every task on its own thread in this JVM, connected by
 * in-process channels. Found by the API through {@link java.util.ServiceLoader}.
 */
public final class LocalExecutor implements JobExecutor {

    @Override
    public JobClient submit(JobGraph graph) throws JobExecutionException {
        ExecutionPlan plan = ChainPlanner.plan(graph);
        JobMetrics metrics = new JobMetrics(graph);
        Cancellation cancellation = new Cancellation();
        JobRun run = new JobRun(graph.name(), metrics, cancellation);
        TaskFactory factory = new TaskFactory(plan, cancellation, run, metrics, run.timerThread());
        List<Task> tasks;
        try {
            factory.prepare();
            tasks = factory.createTasks();
        } catch (Exception e) {
            run.timerThread().shutdownNow();
            throw new JobExecutionException("Job '" + graph.name() + "' cannot start: " + e.getMessage(), e);
        }
        run.start(tasks, graph.nodes().stream()
                .filter(n -> n.spec() instanceof io.sluice.api.graph.OperatorSpec.SourceSpec).map(n -> n.id()).toList());
        return run;
    }
}
