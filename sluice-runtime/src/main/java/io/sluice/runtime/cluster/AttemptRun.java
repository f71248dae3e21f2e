package io.sluice.runtime.cluster;

import io.sluice.api.execution.JobExecutionException;
import io.sluice.api.execution.JobProgress;
import io.sluice.api.execution.JobResult;
import io.sluice.runtime.checkpoint.OperatorSubtaskState;
import io.sluice.runtime.checkpoint.TaskGateway;
import io.sluice.runtime.checkpoint.TaskKey;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One deployed attempt of a job, as its supervisor drives it: built but not started by
 * {@link TaskDeployment#deploy}, started once the checkpoint coordinator knows its gateways, then awaited. Its tasks
 * run in this JVM ({@link HostedTasks}) or on workers. Thread-safe.
 */
public interface AttemptRun {

    /** How the checkpoint coordinator reaches each task of the attempt. */
    Map<TaskKey, ? extends TaskGateway> gateways();

    /** The source tasks (triggered by the coordinator; the others receive barriers). */
    Set<TaskKey> sourceTasks();

    /** Starts every task. */
    void start() throws Exception;

    /** Waits until every task ended; the result, or the first failure (or the cancellation) as an exception. */
    JobResult await() throws JobExecutionException, InterruptedException;

    /** Cancels every task; {@link #await()} then reports the cancellation or the first failure. */
    void cancel();

    JobProgress progress();

    /**
     * The counters of each subtask of node {@code nodeId}: those hosted in this process, or (an attempt spread over
     * workers) the latest the workers reported; empty when none are known.
     */
    default List<io.sluice.runtime.monitor.SubtaskCounters> subtasks(int nodeId) {
        return List.of();
    }

    /** The splits of the source readers (hosted here, or as the workers last reported) and their watermarks. */
    default List<io.sluice.runtime.monitor.SplitWatermark> splits() {
        return List.of();
    }

    /** The operator states the job's final checkpoint must hold (the sinks' last pre-committed transactions). */
    List<OperatorSubtaskState> finalStates();

    /** Runs what the operators left for the job's successful end (transactional sinks' last commits). */
    void runFinalActions() throws Exception;

    /**
     * Waits until every task ran what was posted to it so far (stop-with-savepoint: the completion notices), at most
     * {@code millis}; names the tasks that did not, empty when all did.
     */
    List<String> awaitPostedRun(long millis) throws InterruptedException;

    /** A failure outside the tasks (a source's split enumerator) fails the attempt like a task's failure. */
    void failFromCoordinator(Throwable t);
}
