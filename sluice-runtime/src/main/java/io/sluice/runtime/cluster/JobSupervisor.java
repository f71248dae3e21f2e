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
import io.sluice.runtime.monitor.CheckpointRecord;
import io.sluice.runtime.monitor.MonitoredJob;
import io.sluice.runtime.monitor.SplitWatermark;
import io.sluice.runtime.monitor.SubtaskCounters;
import io.sluice.runtime.checkpoint.OperatorSubtaskState;
import io.sluice.runtime.checkpoint.RestoredState;
import io.sluice.runtime.checkpoint.TaskKey;
import io.sluice.runtime.checkpoint.storage.CompletedCheckpoint;
import io.sluice.runtime.checkpoint.storage.CompletedCheckpointStore;
import io.sluice.runtime.checkpoint.storage.FileSystemCheckpointStorage;
import io.sluice.runtime.plan.ChainLayout;
import io.sluice.runtime.plan.ChainPlanner;
import io.sluice.runtime.plan.ExecutionPlan;
import io.sluice.runtime.plan.ExecutionPlanner;
import io.sluice.runtime.source.SplitRequests;
import io.sluice.runtime.operator.factory.OperatorFactory;
import io.sluice.api.source.Source;
import io.sluice.runtime.source.SourceCoordinators;
import io.sluice.runtime.recovery.RestartDecider;
import io.sluice.runtime.recovery.RestartDecision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a job until it finishes, fails for good, or is cancelled: each attempt is an {@link AttemptRun} its
 * {@link TaskDeployment} built (in this JVM, or on a cluster's workers); after a failure the
 * restart strategy decides, and the next run restores the latest completed checkpoint (or the state the job was
 * started from). Owns the checkpoint coordinator and its threads, which live across runs. Thread-safe.
 */
final class JobSupervisor implements LocalJob, MonitoredJob {
    private static final Logger LOG = LoggerFactory.getLogger(JobSupervisor.class);
    /** How long stop-with-savepoint waits for each task to act on the savepoint's completion (sinks commit). */
    private static final long STOP_WAIT_MILLIS = 30_000;

    private final JobGraph graph;
    private final ChainLayout layout;
    /** Where each attempt's tasks are built and run. */
    private final TaskDeployment deployment;
    /** How often each run logs progress lines (the job's submit option); zero: never. */
    private final java.time.Duration progressInterval;
    private final RestartDecider decider;
    private final CompletableFuture<JobResult> outcome = new CompletableFuture<>();
    private final CheckpointCoordinator coordinator;
    private final ScheduledExecutorService checkpointScheduler;
    private final ThreadPoolExecutor checkpointIo;
    private volatile AttemptRun current;
    /** The current attempt's source enumerators; closed when its tasks ended. */
    private volatile SourceCoordinators currentSources;
    private volatile boolean cancelRequested;
    private volatile int restarts;
    private volatile boolean stoppedWithSavepoint;
    private volatile boolean stopping;
    /**
     * Completed once the stop in progress settled: its savepoint completed and the job is to end stopped
     * ({@link #stoppedWithSavepoint}), or it failed and the job runs on ({@link #stopping} cleared). Replaced before
     * {@code stopping} is set, so whoever sees {@code stopping} waits for the right stop.
     */
    private volatile CompletableFuture<Void> stopSettled = CompletableFuture.completedFuture(null);
    /** Why the job was abandoned ({@link #abandon}), or {@code null}. */
    private volatile String abandonedFor;
    /** The state the job was started from ({@code --from-checkpoint}), or {@code null}. */
    private RestoredState initialState;
    /** The checkpoint directory this job created because none was given, or {@code null}. */
    private Path temporaryCheckpointRoot;
    /** Checkpoints with this id or above were taken by this execution. */
    private long firstOwnCheckpointId;
    /** The job's checkpoint directory, or {@code null} without checkpoints. */
    private Path checkpointDir;
    private final long startEpochMillis = System.currentTimeMillis();
    private final long startNanos = System.nanoTime();
    private volatile long endNanos;
    /** Whether the job waits to restart. */
    private volatile boolean restarting;
    private final JobViews.Failures failures = new JobViews.Failures();

    JobSupervisor(JobGraph graph, io.sluice.api.execution.SubmitOptions options, TaskDeployment deployment)
            throws JobExecutionException {
        String restorePath = options.restorePath();
        this.graph = graph;
        this.deployment = deployment;
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
                checkpointDir = dir.toAbsolutePath().normalize();
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
        try {
            current = startRun(restored);
        } catch (JobExecutionException e) {
            shutdown(CompletedCheckpointStore.Termination.FAILED);
            throw e;
        }
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
     * Plans and starts one attempt (number {@link #restarts}): the plan decides every task, the source enumerators
     * start here, the deployment builds the tasks, the checkpoint coordinator reaches them through their gateways. A
     * failure to plan or build is thrown; the caller decides what it means (the job cannot start, or one more
     * failed attempt).
     */
    private AttemptRun startRun(RestoredState restored) throws JobExecutionException {
        int attempt = restarts;
        ExecutionPlan plan;
        try {
            plan = ExecutionPlanner.plan(graph, layout, attempt, restored);
        } catch (IOException | RuntimeException e) {
            throw new JobExecutionException("Job '" + graph.name() + "' cannot start: " + describe(e), e);
        }
        AttemptRun[] run = new AttemptRun[1]; // an enumerator failing while the tasks are built fails them once started
        Throwable[] earlyFailure = new Throwable[1];
        SourceCoordinators sources = new SourceCoordinators(graph.name(), t -> {
            synchronized (run) {
                if (run[0] != null) {
                    run[0].failFromCoordinator(t);
                } else {
                    earlyFailure[0] = t;
                }
            }
        });
        try {
            Map<String, SplitRequests> requests = new HashMap<>();
            for (StreamNode node : graph.nodes()) {
                if (node.spec() instanceof OperatorSpec.SourceSpec) {
                    try {
                        requests.put(node.uid(), sources.add(node.uid(), node.name(), node.parallelism(),
                                (Source<?, ?>) new UserObjects(OperatorFactory.userObject(node.spec()), node.name()).copy(),
                                plan.enumeratorRestore(node.uid()).orElse(null)));
                    } catch (Exception e) {
                        throw new IllegalArgumentException("Source '" + node.name() + "' cannot start: " + describe(e), e);
                    }
                }
            }
            AttemptRun deployed = deployment.deploy(new TaskDeployment.Attempt(plan, requests, sources, coordinator,
                    checkpointIo, progressInterval, listener(attempt)));
            synchronized (run) {
                run[0] = deployed;
                if (earlyFailure[0] != null) {
                    deployed.failFromCoordinator(earlyFailure[0]);
                }
            }
        } catch (Exception e) {
            sources.close();
            throw new JobExecutionException("Job '" + graph.name() + "' cannot start: " + describe(e), e);
        }
        currentSources = sources;
        coordinator.startRun(attempt, run[0].gateways(), run[0].sourceTasks(), sources);
        try {
            run[0].start();
        } catch (Exception e) {
            run[0].failFromCoordinator(e); // the attempt fails and restarts like any other failure
        }
        return run[0];
    }

    /** An exception's message, or its class where it has none (an interrupt, say): never the word null. */
    private static String describe(Throwable t) {
        return t.getMessage() != null ? t.getMessage() : t.getClass().getName();
    }

    /** What attempt {@code attempt}'s tasks tell the checkpoint coordinator. */
    private AttemptListener listener(int attempt) {
        return new AttemptListener() {
            @Override
            public void failing(String reason) {
                // First thing on a failure, before any task is cancelled and closes its state.
                coordinator.failRun(attempt, reason);
            }

            @Override
            public void taskFinished(TaskKey task, long lastCheckpointTaken, List<OperatorSubtaskState> states) {
                coordinator.taskFinished(task, lastCheckpointTaken, states);
            }

            @Override
            public void operatorFinished(OperatorSubtaskState state) {
                coordinator.operatorFinished(state);
            }
        };
    }

    /** The current attempt's tasks all ended: its source enumerators go too. */
    private void closeSources() {
        SourceCoordinators sources = currentSources;
        if (sources != null) {
            sources.close();
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
            AttemptRun run = current;
            try {
                JobResult result;
                try {
                    result = run.await();
                } finally {
                    closeSources();
                }
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
            } catch (JobExecutionException firstFailure) {
                JobExecutionException failure = firstFailure;
                if (!cancelRequested) {
                    failures.add(failure.getMessage());
                }
                stopRun("failed");
                if (abandonedFor != null) {
                    abandoned(failure);
                    return;
                }
                while (true) {
                    // A failure during a stop fails the stop's savepoint too, unless it had completed: wait for the
                    // stop to settle, so that its end, not timing, decides between a stopped job and a restart.
                    awaitStopSettled();
                    if (stoppedWithSavepoint) {
                        shutdown(CompletedCheckpointStore.Termination.CANCELLED);
                        JobProgress p = run.progress();
                        outcome.complete(new JobResult(graph.name(), p.elapsed(), p.operators(), List.of()));
                        return;
                    }
                    if (cancelRequested) {
                        shutdown(CompletedCheckpointStore.Termination.CANCELLED);
                        outcome.completeExceptionally(failure);
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
                    restarting = true;
                    try {
                        Thread.sleep(restart.delay().toMillis());
                    } finally {
                        restarting = false;
                    }
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
                    try {
                        current = startRun(latestState());
                        break;
                    } catch (JobExecutionException e) {
                        // Too few slots, a worker lost while building: one more failed attempt, as the strategy says.
                        LOG.warn("Job '{}': restart {} could not be deployed: {}", graph.name(), restarts, e.getMessage());
                        failure = e;
                    }
                }
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

    /**
     * Waits until the stop in progress, if any, settled (bounded: a savepoint of a failed attempt fails at once, and a
     * completed one waits at most {@link #STOP_WAIT_MILLIS} for the tasks to act on it).
     */
    private void awaitStopSettled() throws InterruptedException {
        long waitMillis = 2 * STOP_WAIT_MILLIS;
        try {
            stopSettled.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("Job '{}': the stop with a savepoint in progress did not settle within {} ms; the job's failure "
                    + "is handled as if it had failed", graph.name(), waitMillis);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a stop settles normally", e); // never completed exceptionally
        }
    }

    private void stopRun(String reason) {
        if (coordinator != null) {
            coordinator.stopRun(reason);
        }
    }

    private void shutdown(CompletedCheckpointStore.Termination termination) {
        endNanos = System.nanoTime();
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

    /** The latest checkpoints (empty without checkpointing). */
    List<CheckpointStats> checkpointHistory() {
        return coordinator == null ? List.of() : coordinator.history();
    }

    @Override
    public int restarts() {
        return restarts;
    }

    // ---- MonitoredJob: what operators see and do ----

    @Override
    public String name() {
        return graph.name();
    }

    @Override
    public String state() {
        if (!outcome.isDone()) {
            return restarting ? "RESTARTING" : "RUNNING";
        }
        if (outcome.isCompletedExceptionally()) {
            return cancelRequested ? "CANCELLED" : "FAILED";
        }
        return "FINISHED"; // also stopped with a savepoint
    }

    @Override
    public long startEpochMillis() {
        return startEpochMillis;
    }

    @Override
    public long durationMillis() {
        long end = endNanos;
        return ((end != 0 ? end : System.nanoTime()) - startNanos) / 1_000_000;
    }

    @Override
    public int parallelism() {
        return graph.nodes().stream().mapToInt(StreamNode::parallelism).max().orElse(0);
    }

    @Override
    public List<io.sluice.runtime.monitor.JobView.Vertex> vertices() {
        return JobViews.vertices(graph);
    }

    @Override
    public List<io.sluice.runtime.monitor.JobView.Edge> edges() {
        return JobViews.edges(graph);
    }

    @Override
    public List<SubtaskCounters> subtasks(int vertexId) {
        return current.subtasks(vertexId);
    }

    @Override
    public List<SplitWatermark> splits() {
        return current.splits();
    }

    @Override
    public List<CheckpointRecord> checkpoints() {
        return JobViews.checkpoints(checkpointHistory());
    }

    @Override
    public Optional<String> checkpointDirectory() {
        return Optional.ofNullable(checkpointDir).map(Path::toString);
    }

    @Override
    public List<io.sluice.runtime.monitor.JobView.JobException> exceptions() {
        return failures.list();
    }

    @Override
    public String savepoint(String directory) throws JobExecutionException, InterruptedException {
        return triggerSavepoint(directory);
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
                    + describe(e.getCause()), e.getCause());
        }
    }

    @Override
    public String stopWithSavepoint(String directory) throws JobExecutionException, InterruptedException {
        // From here on no failure restarts the job and no later checkpoint commits anything the savepoint does not
        // cover: the savepoint is where this execution ends.
        CompletableFuture<Void> settled = new CompletableFuture<>();
        stopSettled = settled;
        stopping = true;
        coordinator.suspendPeriodic();
        String path;
        try {
            path = triggerSavepoint(directory);
        } catch (JobExecutionException | InterruptedException | RuntimeException e) {
            stopping = false;
            coordinator.resumePeriodic(); // the job runs on, checkpointing as before (or restarts, if it failed)
            settled.complete(null);
            throw e;
        }
        // The completion notices were posted before the path was returned; let every task run them (transactional
        // sinks commit what the savepoint covers) before stopping.
        List<String> late = current.awaitPostedRun(STOP_WAIT_MILLIS);
        if (!late.isEmpty()) {
            LOG.warn("Job '{}': {} did not act on savepoint {}'s completion within {} ms; stopping anyway (their "
                    + "transactions stay pre-committed: a run resumed from the savepoint commits them)",
                    graph.name(), late, path, STOP_WAIT_MILLIS);
        }
        stoppedWithSavepoint = true;
        cancelRequested = true;
        settled.complete(null);
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
