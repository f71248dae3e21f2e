package io.sluice.runtime.cluster;

import io.sluice.api.execution.JobExecutionException;
import io.sluice.api.execution.JobProgress;
import io.sluice.api.execution.JobResult;
import io.sluice.api.graph.OperatorSpec;
import io.sluice.api.graph.StreamNode;
import io.sluice.runtime.channel.Cancellation;
import io.sluice.runtime.checkpoint.CheckpointResponder;
import io.sluice.runtime.checkpoint.OperatorSubtaskState;
import io.sluice.runtime.checkpoint.TaskKey;
import io.sluice.runtime.config.EngineConfig;
import io.sluice.runtime.plan.ExecutionPlan;
import io.sluice.runtime.serialization.SplitLists;
import io.sluice.runtime.task.ReaderSnapshot;
import io.sluice.runtime.task.Task;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * The tasks of a plan built and run in this JVM, one thread each: every task of an attempt on the embedded cluster,
 * or a worker's share of one on a cluster (the plan then holds only those tasks). Thread-safe.
 */
public final class HostedTasks implements AttemptRun {
    private final JobRun run;
    private final List<Task> tasks;
    private final Map<TaskKey, Task> byKey = new HashMap<>();
    private final Set<TaskKey> sourceKeys = new HashSet<>();
    private final List<Integer> sourceNodeIds;
    /** For each node with a subtask here, which subtasks (the plan's tasks); never changes. */
    private final Map<Integer, Set<Integer>> hosted;

    private HostedTasks(JobRun run, List<Task> tasks, List<Integer> sourceNodeIds, Map<Integer, Set<Integer>> hosted) {
        this.run = run;
        this.tasks = List.copyOf(tasks);
        this.sourceNodeIds = sourceNodeIds;
        this.hosted = hosted;
        for (Task task : tasks) {
            byKey.put(task.checkpointKey(), task);
            if (task.sourceUid() != null) {
                sourceKeys.add(task.checkpointKey());
            }
        }
    }

    /**
     * Builds every task of {@code plan}, with its channels; nothing runs until {@link #start()}. Fails, with nothing
     * left running, if a task cannot be built (a function that cannot be copied, state that cannot be restored).
     */
    public static HostedTasks build(ExecutionPlan plan, ChannelProvider channels, SourceReaders readers,
            CheckpointResponder responder, Executor checkpointIo, EngineConfig engine, Duration progressInterval,
            AttemptListener listener) throws Exception {
        JobMetrics metrics = new JobMetrics(plan.graph());
        Cancellation cancellation = new Cancellation();
        JobRun run = new JobRun(plan.graph().name(), metrics, cancellation, progressInterval);
        TaskFactory factory = new TaskFactory(plan, cancellation, run, metrics, run.timerThread(),
                (uid, subtask) -> run.finalizer(uid, subtask, plan.graph().nodes().stream()
                        .filter(n -> n.uid().equals(uid)).findFirst().orElseThrow().parallelism()),
                responder, checkpointIo, readers, channels, engine);
        List<Task> tasks;
        try {
            factory.prepare();
            tasks = factory.createTasks();
        } catch (Exception | Error e) {
            run.timerThread().shutdownNow();
            throw e; // the channel provider frees the network ends it made
        }
        run.onFinalState(listener::operatorFinished);
        run.onTaskFinished(t -> listener.taskFinished(t.checkpointKey(), t.lastCheckpointTaken(), finishedStates(t)));
        run.onFailing(listener::failing);
        List<Integer> sourceIds = plan.graph().nodes().stream().filter(n -> n.spec() instanceof OperatorSpec.SourceSpec)
                .map(StreamNode::id).toList();
        Map<Integer, Set<Integer>> hosted = new java.util.TreeMap<>();
        for (var spec : plan.tasks()) {
            for (int nodeId : spec.nodeIds()) {
                hosted.computeIfAbsent(nodeId, k -> new java.util.TreeSet<>()).add(spec.subtask());
            }
        }
        hosted.replaceAll((k, v) -> Set.copyOf(v));
        return new HostedTasks(run, tasks, sourceIds, java.util.Collections.unmodifiableMap(hosted));
    }

    /**
     * Which subtasks of which nodes run here (a worker's share of a spread attempt holds only some): node id to its
     * subtask indices. {@link #subtasks(int)} lists every subtask of a node, those elsewhere with zero counters.
     */
    public Map<Integer, Set<Integer>> hostedSubtasks() {
        return hosted;
    }

    /** The states of a task's operators as it finished: its source with no splits left, the others empty. */
    private static List<OperatorSubtaskState> finishedStates(Task t) {
        List<OperatorSubtaskState> states = new ArrayList<>();
        ReaderSnapshot reader = t.finalReaderState();
        if (reader != null) {
            byte[] splits;
            try {
                splits = SplitLists.write(reader.splits());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            states.add(OperatorSubtaskState.ofSource(t.sourceUid(), t.subtaskIndex(), t.parallelism(), splits,
                    reader.finishedSplitIds()));
        }
        for (String uid : t.operatorUids()) {
            states.add(OperatorSubtaskState.finishedOperator(uid, t.subtaskIndex(), t.parallelism()));
        }
        return states;
    }

    @Override
    public Map<TaskKey, Task> gateways() {
        return byKey;
    }

    @Override
    public Set<TaskKey> sourceTasks() {
        return sourceKeys;
    }

    @Override
    public void start() {
        run.start(tasks, sourceNodeIds);
    }

    @Override
    public JobResult await() throws JobExecutionException, InterruptedException {
        return run.await();
    }

    @Override
    public void cancel() {
        run.cancel();
    }

    @Override
    public JobProgress progress() {
        return run.progress();
    }

    @Override
    public List<io.sluice.runtime.monitor.SubtaskCounters> subtasks(int nodeId) {
        return run.metrics().subtasks(nodeId);
    }

    @Override
    public List<io.sluice.runtime.monitor.SplitWatermark> splits() {
        return run.metrics().splits();
    }

    @Override
    public List<OperatorSubtaskState> finalStates() {
        return run.finalStates();
    }

    @Override
    public void runFinalActions() throws Exception {
        run.runFinalActions();
    }

    @Override
    public List<String> awaitPostedRun(long millis) throws InterruptedException {
        List<String> late = new ArrayList<>();
        for (Task task : tasks) {
            if (!task.awaitMailsRun(millis) && task.thread() != null && task.thread().isAlive()) {
                late.add(task.displayName());
            }
        }
        return late;
    }

    @Override
    public void failFromCoordinator(Throwable t) {
        run.failFromCoordinator(t);
    }

    /** Something to close once every task ended (a worker's network channel ends, its participant writers). */
    public void closeAtEnd(AutoCloseable resource) {
        run.closeAtEnd(resource);
    }

    /** Waits until every task ended, at most {@code millis}; {@code true} if they did. */
    public boolean awaitTermination(long millis) throws InterruptedException {
        return run.awaitTermination(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }
}
