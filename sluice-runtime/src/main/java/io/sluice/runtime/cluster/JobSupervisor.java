package io.sluice.runtime.cluster;

import io.sluice.api.execution.JobExecutionException;
import io.sluice.api.execution.JobProgress;
import io.sluice.api.execution.JobResult;
import io.sluice.api.graph.CheckpointConfig;
import io.sluice.api.graph.JobGraph;
import io.sluice.api.graph.OperatorSpec;
import io.sluice.api.graph.StreamNode;
import io.sluice.runtime.checkpoint.CheckpointCoordinator;
import io.sluice.runtime.checkpoint.CheckpointStats;
import io.sluice.runtime.checkpoint.OperatorSubtaskState;
import io.sluice.runtime.checkpoint.RestoredState;
import io.sluice.runtime.checkpoint.TaskKey;
import io.sluice.runtime.checkpoint.storage.CompletedCheckpoint;
import io.sluice.runtime.checkpoint.storage.CompletedCheckpointStore;
import io.sluice.runtime.checkpoint.storage.FileSystemCheckpointStorage;
import io.sluice.runtime.config.EngineConfig;
import io.sluice.runtime.plan.ChainLayout;
import io.sluice.runtime.plan.ChainPlanner;
import io.sluice.runtime.plan.ExecutionPlan;
import io.sluice.runtime.plan.ExecutionPlanner;
import io.sluice.runtime.serialization.SplitLists;
import io.sluice.runtime.source.SourceCoordinators;
import io.sluice.runtime.task.ReaderSnapshot;
import io.sluice.runtime.recovery.RestartDecider;
import io.sluice.runtime.recovery.RestartDecision;
import io.sluice.runtime.channel.Cancellation;
import io.sluice.runtime.task.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a job until it finishes, fails for good, or is cancelled: each attempt is a {@link JobRun}; after a failure the
 * restart strategy decides, and the next run restores the latest completed checkpoint (or the state the job was
 * started from). Owns the checkpoint coordinator and its threads, which live across runs. Thread-safe.
 */
final class JobSupervisor implements LocalJob {
    private static final Logger LOG = LoggerFactory.getLogger(JobSupervisor.class);
    /** How long stop-with-savepoint waits for each task to act on the savepoint's completion (sinks commit). */
    private static final long STOP_WAIT_MILLIS = 30_000;

    private final JobGraph graph;
    private final ChainLayout layout;
    private final EngineConfig engine;
    /** How often each run logs progress lines (the job's submit option); zero: never. */
    private final java.time.Duration progressInterval;
    private final RestartDecider decider;
    private final CompletableFuture<JobResult> outcome = new CompletableFuture<>();
    private final CheckpointCoordinator coordinator;
    private final ScheduledExecutorService checkpointScheduler;
    private final ThreadPoolExecutor checkpointIo;
    private volatile JobRun current;
    private volatile boolean cancelRequested;
    private volatile int restarts;
    private volatile boolean stoppedWithSavepoint;
    private volatile boolean stopping;
    /** Why the job was abandoned ({@link #abandon}), or {@code null}. */
    private volatile String abandonedFor;
    /** The state the job was started from ({@code --from-checkpoint}), or {@code null}. */
    private RestoredState initialState;
    /** The checkpoint directory this job created because none was given, or {@code null}. */
    private Path temporaryCheckpointRoot;
    /** Checkpoints with this id or above were taken by this execution. */
    private long firstOwnCheckpointId;

    JobSupervisor(JobGraph graph, io.sluice.api.execution.SubmitOptions options, EngineConfig engine)
            throws JobExecutionException {
        String restorePath = options.restorePath();
        this.graph = graph;
        this.engine = engine;
        this.progressInterval = options.progressInterval();
        this.layout = ChainPlanner.plan(graph);
        this.decider = RestartDecider.create(graph.restartStrategy(), RestartDecider.monotonicClock());
        CheckpointConfig checkpoints = graph.checkpointing();
        // Always a coordinator: savepoints can be taken even without periodic checkpoints.
        checkpointScheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "checkpoint coordinator"));
        checkpointIo = new ThreadPoolExecutor(1, 2, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256),
                r -> daemon(r, "checkpoint io"));
        if (checkpoints != null) {
            try {
                temporaryCheckpointRoot = checkpoints.directory() == null ? Files.createTempDirectory("sluice-checkpoints-") : null;
                Path dir = temporaryCheckpointRoot != null ? temporaryCheckpointRoot : Path.of(checkpoints.directory());
                FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(dir);
                CompletedCheckpointStore store = CompletedCheckpointStore.open(storage, checkpoints.retained(),
                        checkpoints.retainOnCancel());
                coordinator = new CheckpointCoordinator(graph.name(), checkpoints, storage, store, checkpointScheduler,
                        options.reportsProgress());
            } catch (IOException e) {
                shutdownThreads();
                throw new JobExecutionException("Job '" + graph.name() + "' cannot start: checkpoint storage: " + e.getMessage(), e);
            }
        } else {
            coordinator = new CheckpointCoordinator(graph.name(), null, null, null, checkpointScheduler,
                    options.reportsProgress());
        }
        RestoredState restored = null;
        if (restorePath != null) {
            try {
                restored = RestoredState.load(FileSystemCheckpointStorage.openPath(Path.of(restorePath)));
                restored.checkAllMatched(graph.nodes().stream().map(StreamNode::uid).toList(), options.allowNonRestoredState());
            } catch (IOException | RuntimeException e) {
                shutdown(CompletedCheckpointStore.Termination.FAILED);
                throw new JobExecutionException("Job '" + graph.name() + "' cannot restore from " + restorePath + ": "
                        + e.getMessage(), e);
            }
        }
        initialState = restored;
        firstOwnCheckpointId = coordinator.nextCheckpointId();
        current = startRun(restored);
        Thread watcher = new Thread(this::superviseQuietly, "sluice " + graph.name() + ": supervisor");
        watcher.setDaemon(true);
        watcher.start();
    }

    private Thread daemon(Runnable r, String role) {
        Thread t = new Thread(r, "sluice " + graph.name() + ": " + role);
        t.setDaemon(true);
        return t;
    }

    /**
     * Plans and starts one run (attempt {@link #restarts}): the plan decides every task, the factory builds them, the
     * checkpoint coordinator reaches them through their gateways. A failure to build is thrown (the job cannot start).
     */
    private JobRun startRun(RestoredState restored) throws JobExecutionException {
        int attempt = restarts;
        ExecutionPlan plan;
        try {
            plan = ExecutionPlanner.plan(graph, layout, attempt, restored);
        } catch (IOException | RuntimeException e) {
            shutdown(CompletedCheckpointStore.Termination.FAILED);
            throw new JobExecutionException("Job '" + graph.name() + "' cannot start: " + e.getMessage(), e);
        }
        JobMetrics metrics = new JobMetrics(graph);
        Cancellation cancellation = new Cancellation();
        JobRun run = new JobRun(graph.name(), metrics, cancellation, progressInterval);
        SourceCoordinators sources = new SourceCoordinators(graph.name(), run::failFromCoordinator);
        run.closeAtEnd(sources);
        TaskFactory factory = new TaskFactory(plan, cancellation, run, metrics, run.timerThread(),
                (uid, subtask) -> run.finalizer(uid, subtask, graph.nodes().stream().filter(n -> n.uid().equals(uid))
                        .findFirst().orElseThrow().parallelism()), coordinator, checkpointIo, sources, engine);
        List<Task> tasks;
        try {
            factory.prepare();
            tasks = factory.createTasks();
        } catch (Exception e) {
            run.timerThread().shutdownNow();
            sources.close();
            shutdown(CompletedCheckpointStore.Termination.FAILED);
            throw new JobExecutionException("Job '" + graph.name() + "' cannot start: " + e.getMessage(), e);
        }
        Map<TaskKey, Task> byKey = new HashMap<>();
        Set<TaskKey> sourceKeys = new HashSet<>();
        for (Task task : tasks) {
            byKey.put(task.checkpointKey(), task);
            if (task.sourceUid() != null) {
                sourceKeys.add(task.checkpointKey());
            }
        }
        run.onFinalState(coordinator::operatorFinished);
        run.onTaskFinished(t -> coordinator.taskFinished(t.checkpointKey(), t.lastCheckpointTaken(), finishedStates(t)));
        // First thing on a failure, before any task is cancelled and closes its state.
        run.onFailing(reason -> coordinator.failRun(attempt, reason));
        coordinator.startRun(attempt, byKey, sourceKeys, sources);
        run.start(tasks, graph.nodes().stream().filter(n -> n.spec() instanceof OperatorSpec.SourceSpec).map(StreamNode::id).toList());
        return run;
    }

    /** The states of a task's operators as it finished: its source with no splits left, the others empty. */
    private static List<OperatorSubtaskState> finishedStates(Task t) {
        List<OperatorSubtaskState> states = new java.util.ArrayList<>();
        ReaderSnapshot reader = t.finalReaderState();
        if (reader != null) {
            states.add(OperatorSubtaskState.ofSource(t.sourceUid(), t.subtaskIndex(), t.parallelism(),
                    splitBytes(reader), reader.finishedSplitIds()));
        }
        for (String uid : t.operatorUids()) {
            states.add(OperatorSubtaskState.finishedOperator(uid, t.subtaskIndex(), t.parallelism()));
        }
        return states;
    }

    private static byte[] splitBytes(ReaderSnapshot reader) {
        try {
            return SplitLists.write(reader.splits());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void superviseQuietly() {
        try {
            supervise();
        } catch (Throwable t) {
            outcome.completeExceptionally(t);
            shutdown(CompletedCheckpointStore.Termination.FAILED);
        }
    }

    private void supervise() throws Exception {
        while (true) {
            JobRun run = current;
            try {
                JobResult result = run.await();
                try {
                    coordinator.completeFinalCheckpoint(run.finalStates());
                    run.runFinalActions();
                } catch (Exception e) {
                    throw new JobExecutionException("Job '" + graph.name() + "' failed committing its final output: " + e, e);
                }
                stopRun("finished");
                shutdown(CompletedCheckpointStore.Termination.FINISHED);
                outcome.complete(result);
                return;
            } catch (JobExecutionException failure) {
                stopRun("failed");
                if (abandonedFor != null) {
                    abandoned(failure);
                    return;
                }
                if (stoppedWithSavepoint) {
                    shutdown(CompletedCheckpointStore.Termination.CANCELLED);
                    JobProgress p = run.progress();
                    outcome.complete(new JobResult(graph.name(), p.elapsed(), p.operators(), List.of()));
                    return;
                }
                if (cancelRequested || stopping) {
                    shutdown(CompletedCheckpointStore.Termination.CANCELLED);
                    outcome.completeExceptionally(stopping
                            ? new JobExecutionException("Job '" + graph.name() + "' failed while stopping with a savepoint: "
                                    + failure.getMessage(), failure.getCause())
                            : failure);
                    return;
                }
                RestartDecision decision = decider.onFailure();
                if (decision instanceof RestartDecision.GiveUp giveUp) {
                    shutdown(CompletedCheckpointStore.Termination.FAILED);
                    outcome.completeExceptionally(restarts == 0 && graph.checkpointing() == null ? failure
                            : new JobExecutionException(failure.getMessage() + " (not restarted: " + giveUp.reason() + ")",
                                    failure.getCause()));
                    return;
                }
                RestartDecision.Restart restart = (RestartDecision.Restart) decision;
                LOG.warn("Job '{}' failed; restart {} in {} ms: {}", graph.name(), restart.attempt(),
                        restart.delay().toMillis(), failure.getMessage());
                Thread.sleep(restart.delay().toMillis());
                if (abandonedFor != null) {
                    abandoned(failure);
                    return;
                }
                if (cancelRequested) {
                    shutdown(CompletedCheckpointStore.Termination.CANCELLED);
                    outcome.completeExceptionally(failure);
                    return;
                }
                restarts++;
                current = startRun(latestState());
                if (cancelRequested) {
                    current.cancel(); // a cancel that came while the new run was being built
                }
            }
        }
    }

    /** Ends an abandoned job: its checkpoints stay, for the job to go on from elsewhere. */
    private void abandoned(JobExecutionException failure) {
        shutdown(CompletedCheckpointStore.Termination.FAILED);
        outcome.completeExceptionally(new JobExecutionException("Job '" + graph.name() + "' was stopped here ("
                + abandonedFor + "); its checkpoints are kept", failure.getCause()));
    }

    /**
     * The state to restart from: the newest completed checkpoint, else the state the job was started from, else none.
     * A corrupt checkpoint fails the job (no silent fallback to an older one).
     */
    private RestoredState latestState() throws IOException {
        Optional<CompletedCheckpoint> latest = coordinator.latestCompleted();
        // A checkpoint older than this execution (left by an earlier one) is not ours to restore.
        return latest.isEmpty() || latest.get().checkpointId() <= firstOwnCheckpointId - 1 ? initialState
                : RestoredState.load(latest.get()).holdingEveryOperator();
    }

    private void stopRun(String reason) {
        if (coordinator != null) {
            coordinator.stopRun(reason);
        }
    }

    private void shutdown(CompletedCheckpointStore.Termination termination) {
        if (coordinator != null) {
            coordinator.shutdown(termination);
        }
        shutdownThreads();
        deleteTemporaryCheckpointRootIfEmpty();
    }

    /**
     * A job given no checkpoint directory checkpoints into a temporary one; once its store kept nothing there (the
     * job finished, or nothing is retained), the directory goes too, rather than piling up in the machine's /tmp.
     */
    private void deleteTemporaryCheckpointRootIfEmpty() {
        Path root = temporaryCheckpointRoot;
        if (root == null) {
            return;
        }
        try {
            Files.deleteIfExists(root.resolve("shared")); // fails, and keeps the root, when a retained checkpoint uses it
            Files.deleteIfExists(root);
        } catch (IOException e) {
            LOG.debug("Job '{}': temporary checkpoint directory {} kept: {}", graph.name(), root, e.toString());
        }
    }

    private void shutdownThreads() {
        if (checkpointScheduler != null) {
            checkpointScheduler.shutdownNow();
        }
        if (checkpointIo != null) {
            checkpointIo.shutdownNow();
        }
    }

    @Override
    public JobProgress progress() {
        return current.progress();
    }

    /** Every checkpoint so far (empty without checkpointing). */
    List<CheckpointStats> checkpoints() {
        return coordinator == null ? List.of() : coordinator.history();
    }

    int restarts() {
        return restarts;
    }

    @Override
    public JobResult await() throws JobExecutionException, InterruptedException {
        try {
            return outcome.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof JobExecutionException j) {
                throw j;
            }
            throw new JobExecutionException("Job '" + graph.name() + "' failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public String triggerSavepoint(String directory) throws JobExecutionException, InterruptedException {
        try {
            return coordinator.triggerSavepoint(Path.of(directory), stopping).get();
        } catch (ExecutionException e) {
            throw new JobExecutionException("Job '" + graph.name() + "': savepoint into " + directory + " failed: "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public String stopWithSavepoint(String directory) throws JobExecutionException, InterruptedException {
        // From here on no failure restarts the job and no later checkpoint commits anything the savepoint does not
        // cover: the savepoint is where this execution ends.
        stopping = true;
        coordinator.suspendPeriodic();
        String path;
        try {
            path = triggerSavepoint(directory);
        } catch (JobExecutionException e) {
            stopping = false;
            throw e;
        }
        // The completion notices were posted before the path was returned; let every task run them (transactional
        // sinks commit what the savepoint covers) before stopping.
        for (Task task : current.tasks()) {
            if (!task.awaitMailsRun(STOP_WAIT_MILLIS) && task.thread() != null && task.thread().isAlive()) {
                LOG.warn("Job '{}': {} did not act on savepoint {}'s completion within {} ms; stopping anyway (its "
                        + "transactions stay pre-committed: a run resumed from the savepoint commits them)",
                        graph.name(), task.displayName(), path, STOP_WAIT_MILLIS);
            }
        }
        stoppedWithSavepoint = true;
        cancelRequested = true;
        current.cancel();
        return path;
    }

    @Override
    public void cancel() {
        cancelRequested = true;
        current.cancel();
    }

    @Override
    public void abandon(String reason) {
        abandonedFor = reason;
        cancelRequested = true;
        current.cancel();
    }
}
