package io.sluice.cluster.coordinator;

import io.sluice.cluster.Failures;
import io.sluice.api.execution.JobExecutionException;
import io.sluice.api.execution.SubmitOptions;
import io.sluice.api.graph.CheckpointConfig;
import io.sluice.api.graph.JobGraph;
import io.sluice.api.graph.StreamNode;
import io.sluice.cluster.blob.BlobStore;
import io.sluice.cluster.protocol.ControlMessages.WorkerStatus;
import io.sluice.cluster.protocol.ControlProtocol;
import io.sluice.cluster.protocol.JobMessages.CommandKind;
import io.sluice.cluster.protocol.JobMessages.JobInfo;
import io.sluice.cluster.protocol.JobMessages.WorkerCommand;
import io.sluice.cluster.protocol.JobMessages.WorkerEvent;
import io.sluice.cluster.protocol.TaskMessage;
import io.sluice.cluster.protocol.TaskMetrics;
import io.sluice.runtime.checkpoint.storage.FileSystemCheckpointStorage;
import io.sluice.runtime.cluster.JobViews;
import io.sluice.runtime.recovery.RestartDecider;
import io.sluice.runtime.recovery.RestartDecision;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's job table: runs each submitted job's main (which builds its graph), places each attempt on a
 * worker with enough free slots, follows the attempt through its worker's control stream, and restarts the job from
 * its latest completed checkpoint, on the workers that remain, when the worker running it is lost.
 *
 * <p>One attempt of a job runs on one worker, in {@code max parallelism} of its slots (slot sharing, as Flink):
 * the worker runs the job's tasks with in-process channels and its checkpoint coordinator; the job's restart strategy
 * handles task failures there, and here the loss of the worker. Checkpoints go to a directory every process sees.
 *
 * <p>Thread-safe: every transition happens under this table's lock; commands are sent to workers under it, so each
 * worker receives them in the order they were decided. Owns one scheduler thread and each job main's thread.
 */
public final class Jobs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Jobs.class);
    /** At most this many jobs are kept (running or ended); a submission beyond it is refused. */
    static final int MAX_JOBS = 256;
    /** How long a savepoint may take before the client is told it did not complete. */
    static final long SAVEPOINT_TIMEOUT_MILLIS = 10 * 60_000;

    /**
     * @param checkpointRoot   where jobs that name no checkpoint directory keep their checkpoints ({@code <root>/<job>})
     * @param slotWaitMillis   how long a job waits for free slots before it fails
     * @param submitWaitMillis how long a job's main may run before it submits its job; then the job fails and the
     *                         main's thread is interrupted
     * @param mains            runs each job's main
     * @param spreadTasks      whether a job's tasks are spread over workers (its supervisor here, its tasks on the
     *                         workers' slots, network channels between them) rather than each attempt on one worker
     */
    public record Settings(Path checkpointRoot, long slotWaitMillis, long submitWaitMillis, JobMains mains,
            boolean spreadTasks) {
        /** How long a job's main may take to submit unless told otherwise. */
        public static final long DEFAULT_SUBMIT_WAIT_MILLIS = 60_000;

        /** Whole attempts on one worker each, with the default wait for a main to submit. */
        public Settings(Path checkpointRoot, long slotWaitMillis, JobMains mains) {
            this(checkpointRoot, slotWaitMillis, DEFAULT_SUBMIT_WAIT_MILLIS, mains, false);
        }

        /** With the default wait for a main to submit. */
        public Settings(Path checkpointRoot, long slotWaitMillis, JobMains mains, boolean spreadTasks) {
            this(checkpointRoot, slotWaitMillis, DEFAULT_SUBMIT_WAIT_MILLIS, mains, spreadTasks);
        }

        /** Whole attempts on one worker each. */
        public Settings(Path checkpointRoot, long slotWaitMillis, long submitWaitMillis, JobMains mains) {
            this(checkpointRoot, slotWaitMillis, submitWaitMillis, mains, false);
        }
    }

    private final Settings settings;
    private final WorkerRegistry registry;
    private final WorkerSessions sessions;
    private final BlobStore blobs;
    private final LongSupplier clockMillis;
    private final ScheduledExecutorService scheduler;
    private final Map<String, ClusterJob> jobs = new LinkedHashMap<>();
    private final SlotTable slots = new SlotTable();
    private final SavepointRequests savepoints = new SavepointRequests();
    private final SpreadJobs spread;
    private long nextJob = 1;

    Jobs(Settings settings, WorkerRegistry registry, WorkerSessions sessions, BlobStore blobs, LongSupplier clockMillis) {
        this.settings = settings;
        this.registry = registry;
        this.sessions = sessions;
        this.blobs = blobs;
        this.clockMillis = clockMillis;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice coordinator: job scheduler");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::placeWaiting, 250, 250, TimeUnit.MILLISECONDS);
        this.spread = new SpreadJobs(this);
    }

    /**
     * Reserves {@code count} slots for {@code job}'s next attempt on attached workers with free ones (the most free
     * first), waiting up to the slot wait for enough; the worker of each slot, in slot order.
     */
    List<String> reserveSlots(String job, int count) throws IOException, InterruptedException {
        long deadline = clockMillis.getAsLong() + settings.slotWaitMillis();
        while (true) {
            List<WorkerStatus> attached = attachedWorkers();
            if (cancelRequested(job)) {
                throw new IOException("it was cancelled while waiting for " + count + " free slot(s)");
            }
            List<String> chosen = slots.reserve(job, count, attached);
            if (chosen != null) {
                return chosen;
            }
            if (clockMillis.getAsLong() > deadline) {
                throw new IOException("needs " + count + " free slot(s) on the cluster; waited "
                        + settings.slotWaitMillis() + " ms, " + slots.free(attached) + " were free");
            }
            Thread.sleep(100);
        }
    }

    /** The live workers with a control stream: where attempts can go. */
    private List<WorkerStatus> attachedWorkers() {
        return registry.status().stream().filter(w -> sessions.isAttached(w.workerId())).toList();
    }

    private synchronized boolean cancelRequested(String jobId) {
        ClusterJob job = jobs.get(jobId);
        return job == null || job.cancelRequested;
    }

    /** How many of a worker's slots jobs use now. */
    int usedSlots(String worker) {
        return slots.used(worker);
    }

    /** Frees the slots {@code job}'s attempt reserved. */
    void releaseSlots(String job) {
        slots.release(job);
    }

    /** Where a worker's data server listens. */
    String dataAddress(String worker) {
        return registry.status().stream().filter(w -> w.workerId().equals(worker)).findFirst()
                .map(w -> w.host() + ":" + w.dataPort())
                .orElseThrow(() -> new IllegalStateException("worker " + worker + " is not live"));
    }

    /** Keeps {@code bytes} in the blob store (a spread attempt's graph and task specs); their SHA-256. */
    String putBlob(byte[] bytes) throws IOException {
        return blobs.put(bytes);
    }

    boolean sendTasks(String worker, io.sluice.cluster.protocol.TaskMessage message) {
        return sessions.send(worker, WorkerCommand.tasks(message));
    }

    Settings settings() {
        return settings;
    }

    synchronized ClusterJob job(String id) {
        return jobs.get(id);
    }

    /** The ids of the jobs kept, oldest first. */
    synchronized List<String> ids() {
        return List.copyOf(jobs.keySet());
    }

    /** The jobs run by a supervisor here, whose tasks are spread over workers. */
    synchronized List<ClusterJob> spreadJobs() {
        return jobs.values().stream().filter(j -> j.supervisor != null || j.remote != null).toList();
    }

    /** A spread job's supervisor started its attempt {@code attempt} on {@code workers}. Under the lock. */
    synchronized void attemptRunning(ClusterJob job, int attempt, java.util.Set<String> workers) {
        if (!job.state.isFinal()) {
            job.state = ClusterJob.State.RUNNING;
            job.attempt = attempt;
            job.attemptRestarts = attempt;
            job.worker = String.join(",", new java.util.TreeSet<>(workers));
        }
    }

    /**
     * A spread job's supervisor exists (its first attempt is deployed); {@code true} if the job was cancelled while
     * that deployment ran, and the caller must cancel the supervisor.
     */
    synchronized boolean supervisorStarted(ClusterJob job, io.sluice.api.execution.JobClient supervisor) {
        job.supervisor = supervisor;
        return job.cancelRequested;
    }

    /** A spread job's attempt failed: the job shows as restarting (or ends, as its supervisor decides). */
    synchronized void attemptFailed(ClusterJob job, String reason) {
        if (!job.state.isFinal() && !job.cancelRequested) {
            job.state = ClusterJob.State.RESTARTING;
            job.failure = reason;
        }
    }

    /** A spread job's supervisor ended: the job ends as it did. */
    synchronized void supervisorEnded(ClusterJob job, io.sluice.api.execution.JobResult result, Throwable failure) {
        if (job.state.isFinal()) {
            return;
        }
        job.worker = "";
        releaseSlots(job.id);
        if (failure == null) {
            job.durationMillis = result.duration().toMillis();
            job.operators = result.operators().stream().map(o -> new io.sluice.cluster.protocol.JobMessages.OperatorCount(
                    o.nodeId(), o.name(), o.recordsIn(), o.recordsOut())).toList();
            end(job, ClusterJob.State.FINISHED, "");
        } else {
            end(job, job.cancelRequested ? ClusterJob.State.CANCELLED : ClusterJob.State.FAILED, Failures.oneLine(failure));
        }
    }

    /** Accepts a submission and starts its main on a thread of its own; returns the job's id. */
    String submit(List<String> argv, List<String> jars) throws IOException {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a submission names a built-in example or a main class; it named nothing");
        }
        List<Path> jarPaths = new ArrayList<>();
        for (String jar : jars) {
            if (!blobs.has(jar)) {
                throw new IllegalArgumentException("the job's jar " + jar + " was not uploaded");
            }
            jarPaths.add(blobs.path(jar));
        }
        ClusterJob job;
        synchronized (this) {
            if (jobs.size() >= MAX_JOBS && !forgetOneEnded()) {
                throw new IllegalStateException("the coordinator holds " + MAX_JOBS + " running jobs; submit later");
            }
            job = new ClusterJob("job-" + nextJob++, argv, jars, this);
            jobs.put(job.id, job);
        }
        Thread main = new Thread(() -> runMain(job, jarPaths), "sluice coordinator: main of " + job.id);
        main.setDaemon(true);
        main.start();
        scheduler.schedule(() -> mainTimedOut(job, main), settings.submitWaitMillis(), TimeUnit.MILLISECONDS);
        LOG.info("Job {} submitted: run {}", job.id, String.join(" ", argv));
        return job.id;
    }

    /** Fails a job whose main has not submitted it in time, and interrupts the main (it cannot be stopped otherwise). */
    private void mainTimedOut(ClusterJob job, Thread main) {
        synchronized (this) {
            if (job.state != ClusterJob.State.CREATED) {
                return;
            }
            end(job, ClusterJob.State.FAILED, "the job's main did not submit a job within " + settings.submitWaitMillis()
                    + " ms (does it wait for something?); its thread was interrupted");
        }
        main.interrupt();
    }

    private boolean forgetOneEnded() {
        for (var it = jobs.values().iterator(); it.hasNext(); ) {
            if (it.next().state.isFinal()) {
                it.remove();
                return true;
            }
        }
        return false;
    }

    private void runMain(ClusterJob job, List<Path> jars) {
        Throwable failure = null;
        try {
            settings.mains().run(job.argv, jars, job.executor());
        } catch (Throwable t) {
            failure = t;
        }
        synchronized (this) {
            if (job.state == ClusterJob.State.CREATED) {
                end(job, ClusterJob.State.FAILED, failure == null ? "the job's main returned without starting a job"
                        : "the job's main failed: " + Failures.oneLine(failure));
            } else if (failure != null && !job.state.isFinal()) {
                LOG.info("Job {}: its main threw while the job runs: {}", job.id, Failures.oneLine(failure));
            }
        }
    }

    /** The job's main submitted its graph: prepares it and places its first attempt. */
    void start(ClusterJob job, JobGraph submitted, SubmitOptions options) throws JobExecutionException {
        synchronized (this) {
            if (job.state.isFinal()) {
                throw new JobExecutionException("Job " + job.id + " ended (" + job.state + ") before its main submitted it"
                        + (job.failure.isEmpty() ? "" : ": " + job.failure), null);
            }
            if (job.state != ClusterJob.State.CREATED) {
                throw new JobExecutionException("Job " + job.id + ": a submission runs one job; its main started a second",
                        null);
            }
            try {
                prepare(job, submitted, options);
            } catch (IOException | RuntimeException e) {
                end(job, ClusterJob.State.FAILED, "cannot start: " + Failures.oneLine(e));
                throw new JobExecutionException("Job " + job.id + " cannot start: " + Failures.oneLine(e), e);
            }
            job.state = ClusterJob.State.WAITING;
            job.waitingSinceMillis = clockMillis.getAsLong();
            if (!settings.spreadTasks()) {
                place(job);
                return;
            }
        }
        spread.start(job, options); // outside the lock: its first deployment waits for the workers' answers
    }

    private void prepare(ClusterJob job, JobGraph submitted, SubmitOptions options) throws IOException {
        JobGraph graph = submitted;
        CheckpointConfig checkpoints = graph.checkpointing();
        if (checkpoints != null && checkpoints.directory() == null) {
            checkpoints = checkpoints.withDirectory(settings.checkpointRoot().resolve(job.id).toAbsolutePath().toString());
            graph = new JobGraph(graph.name(), graph.nodes(), graph.edges(), graph.config(), checkpoints,
                    graph.restartStrategy());
        }
        job.jobName = graph.name();
        job.options = options;
        if (!settings.spreadTasks()) {
            job.reported = new ReportedJobView(JobViews.vertices(graph), JobViews.edges(graph));
        }
        job.slots = graph.nodes().stream().mapToInt(StreamNode::parallelism).max().orElse(1);
        job.decider = RestartDecider.create(graph.restartStrategy(), RestartDecider.monotonicClock());
        if (checkpoints != null) {
            job.checkpointDir = Path.of(checkpoints.directory()).toAbsolutePath();
            job.checkpointIdBeforeStart = latestCompleted(job.checkpointDir).orElse(-1);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(graph);
        }
        if (bytes.size() > ControlProtocol.MAX_MESSAGE_BYTES / 2) {
            throw new IOException("the job graph is " + bytes.size() + " bytes serialized (at most "
                    + ControlProtocol.MAX_MESSAGE_BYTES / 2 + "): keep large data out of functions' fields");
        }
        job.graphBytes = bytes.toByteArray();
    }

    private static OptionalLong latestCompleted(Path dir) throws IOException {
        return Files.isDirectory(dir) ? new FileSystemCheckpointStorage(dir).latestCompletedId() : OptionalLong.empty();
    }

    /** Places every waiting job that fits; fails those that waited too long. Runs on the scheduler. */
    private void placeWaiting() {
        if (settings.spreadTasks()) {
            return; // a spread job's supervisor places its attempts itself (RemoteDeployment)
        }
        try {
            synchronized (this) {
                for (ClusterJob job : List.copyOf(jobs.values())) {
                    if (job.state == ClusterJob.State.WAITING) {
                        place(job);
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.error("Placing waiting jobs failed", e); // the next round tries again
        }
    }

    /** Deploys the job's next attempt on the live worker with the most free slots, if one has enough. Under the lock. */
    private void place(ClusterJob job) {
        String best = null;
        int bestFree = -1;
        int largestFree = 0;
        for (WorkerStatus w : attachedWorkers()) {
            int free = slots.free(w);
            largestFree = Math.max(largestFree, free);
            if (free >= job.slots && free > bestFree) {
                best = w.workerId();
                bestFree = free;
            }
        }
        if (best == null) {
            long waited = clockMillis.getAsLong() - job.waitingSinceMillis;
            if (waited > settings.slotWaitMillis()) {
                end(job, ClusterJob.State.FAILED, "needs " + job.slots + " free slot(s) on one worker (its largest "
                        + "parallelism); waited " + waited + " ms, the most free on any worker was " + largestFree);
            }
            return;
        }
        String restore;
        try {
            restore = restorePath(job);
        } catch (IOException e) {
            end(job, ClusterJob.State.FAILED, "cannot find the checkpoint to restart from: " + Failures.oneLine(e));
            return;
        }
        job.attempt++;
        job.worker = best;
        job.state = ClusterJob.State.RUNNING;
        slots.take(best, job.slots);
        LOG.info("Job {} ({}) attempt {} deployed to {} ({} slot(s)){}", job.id, job.jobName, job.attempt, best,
                job.slots, restore.isEmpty() ? "" : ", restoring " + restore);
        WorkerCommand deploy = new WorkerCommand(CommandKind.DEPLOY, job.id, job.attempt, job.graphBytes, job.jars, restore,
                job.options.allowNonRestoredState(), 0, "", job.options.progressInterval().toMillis());
        if (!sessions.send(best, deploy)) {
            workerGone(best, "its control stream is closed");
        }
    }

    /** The state an attempt starts from: the job's newest own completed checkpoint, else what it was started from. */
    private static String restorePath(ClusterJob job) throws IOException {
        if (job.checkpointDir != null && job.attempt >= 0) {
            OptionalLong latest = latestCompleted(job.checkpointDir);
            if (latest.isPresent() && latest.getAsLong() > job.checkpointIdBeforeStart) {
                return new FileSystemCheckpointStorage(job.checkpointDir).checkpointDirectory(latest.getAsLong()).toString();
            }
        }
        return job.options.restorePath() == null ? "" : job.options.restorePath();
    }

    /** A worker's event on its control stream. */
    void onEvent(String workerId, WorkerEvent event) {
        if (event.task() != null && settings.spreadTasks()) {
            spread.onMessage(workerId, event.task()); // not under the lock: it drives the job's supervisor
            return;
        }
        if (event.task() != null) {
            reported(workerId, event.task());
            return;
        }
        synchronized (this) {
            switch (event.kind()) {
                case SAVEPOINT_DONE, SAVEPOINT_FAILED -> savepoints.answer(event.requestId(),
                        event.kind() == io.sluice.cluster.protocol.JobMessages.EventKind.SAVEPOINT_DONE, event.text());
                case RUNNING, FINISHED, FAILED -> attemptEvent(workerId, event);
                case ATTACH -> LOG.warn("{} attached twice; ignored", workerId);
                case TASKS -> throw new IllegalStateException("handled above");
            }
        }
    }

    /**
     * A worker's report of a job attempt it runs whole: kept by the job's view when it is of the job's current attempt
     * on that worker while it runs (a late report of an attempt that ended or moved on is dropped).
     */
    private void reported(String workerId, TaskMessage m) {
        if (m.kind() != TaskMessage.Kind.METRICS) {
            LOG.warn("{} sent a {} message of job {}, which runs whole on a worker (only {} is expected); ignored",
                    workerId, m.kind(), m.job(), TaskMessage.Kind.METRICS);
            return;
        }
        TaskMetrics measured;
        try {
            measured = TaskMetrics.of(m); // decoded outside the lock
        } catch (IOException e) {
            LOG.warn("{} sent a malformed report of job {} attempt {}: {}; ignored", workerId, m.job(), m.attempt(),
                    e.getMessage());
            return;
        }
        synchronized (this) {
            ClusterJob job = jobs.get(m.job());
            if (job != null && job.reported != null && job.attempt == m.attempt() && job.worker.equals(workerId)
                    && job.state == ClusterJob.State.RUNNING) {
                job.reported.report(workerId, m.attempt(), measured);
            }
        }
    }

    private void attemptEvent(String workerId, WorkerEvent event) {
        ClusterJob job = jobs.get(event.jobId());
        if (job == null || job.attempt != event.attempt() || !job.worker.equals(workerId) || job.state != ClusterJob.State.RUNNING) {
            LOG.info("{} reports {} of job {} attempt {}, which is not current: ignored", workerId, event.kind(),
                    event.jobId(), event.attempt());
            return;
        }
        switch (event.kind()) {
            case RUNNING -> LOG.info("Job {} attempt {} runs on {}", job.id, job.attempt, workerId);
            case FINISHED -> {
                job.durationMillis = event.durationMillis();
                job.operators = event.operators();
                end(job, ClusterJob.State.FINISHED, ""); // also a stop with a savepoint
            }
            case FAILED -> end(job, job.cancelRequested ? ClusterJob.State.CANCELLED : ClusterJob.State.FAILED,
                    event.text());
            default -> throw new IllegalStateException("not an attempt's event: " + event.kind());
        }
    }

    /** Ends a job for good: frees its slots and completes what its main and clients wait for. Under the lock. */
    private void end(ClusterJob job, ClusterJob.State state, String failure) {
        releaseSlots(job);
        job.state = state;
        job.worker = "";
        if (!failure.isEmpty()) {
            job.failure = failure;
        }
        savepoints.failAll(job.id, "the job ended (" + state + ")");
        if (job.reported != null) {
            job.reported.ended();
        }
        job.release();
        switch (state) {
            case FINISHED -> job.outcome.complete(job.result());
            case CANCELLED -> job.outcome.completeExceptionally(new JobExecutionException("Job " + job.id + " was cancelled", null));
            default -> job.outcome.completeExceptionally(new JobExecutionException("Job " + job.id + " " + job.name()
                    + " failed: " + job.failure, null));
        }
        LOG.info("Job {} {} {}{}", job.id, job.name(), state, failure.isEmpty() ? "" : ": " + failure);
    }

    private void releaseSlots(ClusterJob job) {
        if (!job.worker.isEmpty() && job.state == ClusterJob.State.RUNNING) {
            slots.give(job.worker, job.slots);
        }
    }

    /** A worker was declared lost: the attempts on it failed; each job restarts as its restart strategy says. */
    void workerGone(String workerId, String reason) {
        spread.workerLost(workerId, reason);
        synchronized (this) {
            sessions.drop(workerId);
            slots.forget(workerId);
            for (ClusterJob job : List.copyOf(jobs.values())) {
                if (settings.spreadTasks() || job.state != ClusterJob.State.RUNNING || !job.worker.equals(workerId)) {
                    continue; // a spread job's supervisor restarts it (its attempt failed through SpreadJobs above)
                }
                job.worker = "";
                job.state = ClusterJob.State.RESTARTING;
                String failure = "worker " + workerId + " was lost (" + reason + ")";
                savepoints.failAll(job.id, failure);
                job.reported.attemptFailed(workerId, failure);
                if (job.cancelRequested) {
                    end(job, ClusterJob.State.CANCELLED, "");
                    continue;
                }
                RestartDecision decision = job.decider.onFailure();
                if (decision instanceof RestartDecision.GiveUp giveUp) {
                    end(job, ClusterJob.State.FAILED, failure + " (not restarted: " + giveUp.reason() + ")");
                    continue;
                }
                long delay = ((RestartDecision.Restart) decision).delay().toMillis();
                job.attemptRestarts++;
                job.failure = failure;
                LOG.warn("Job {} {}: {}; restart {} in {} ms from its latest completed checkpoint", job.id, job.name(),
                        failure, job.attemptRestarts, delay);
                scheduler.schedule(() -> {
                    synchronized (this) {
                        if (job.state == ClusterJob.State.RESTARTING) {
                            job.state = ClusterJob.State.WAITING;
                            job.waitingSinceMillis = clockMillis.getAsLong();
                            place(job);
                        }
                    }
                }, delay, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** A stop-with-savepoint failed: the job runs on, and a later failure restarts it as before. */
    private synchronized void stopFailed(String jobId, boolean stop) {
        ClusterJob job = jobs.get(jobId);
        if (stop && job != null && !job.state.isFinal()) {
            job.cancelRequested = false;
        }
    }

    /** Cancels a job: its attempt is told to stop; a job not running ends at once. */
    void cancel(String jobId) {
        synchronized (this) {
            ClusterJob job = existing(jobId);
            if (job.state.isFinal()) {
                return;
            }
            job.cancelRequested = true;
            if (job.supervisor != null) {
                job.supervisor.cancel();
                return;
            }
            if (settings.spreadTasks() && job.state == ClusterJob.State.WAITING) {
                return; // its first attempt is being deployed: cancelled once its supervisor exists (supervisorStarted)
            }
            if (job.state == ClusterJob.State.RUNNING) {
                if (!sessions.send(job.worker, WorkerCommand.about(CommandKind.CANCEL, job.id, job.attempt, 0, ""))) {
                    end(job, ClusterJob.State.CANCELLED, "");
                }
            } else {
                end(job, ClusterJob.State.CANCELLED, "");
            }
        }
    }

    /** Takes a savepoint of a running job into {@code directory} (and then stops it, with {@code stop}); its path. */
    String savepoint(String jobId, String directory, boolean stop) throws JobExecutionException, InterruptedException {
        io.sluice.api.execution.JobClient supervisor;
        synchronized (this) {
            supervisor = existing(jobId).supervisor;
            if (supervisor != null && stop) {
                existing(jobId).cancelRequested = true;
            }
        }
        if (supervisor != null) {
            try {
                return stop ? supervisor.stopWithSavepoint(directory) : supervisor.triggerSavepoint(directory);
            } catch (JobExecutionException | RuntimeException e) {
                stopFailed(jobId, stop);
                throw e;
            }
        }
        CompletableFuture<String> done;
        synchronized (this) {
            ClusterJob job = existing(jobId);
            if (job.state != ClusterJob.State.RUNNING) {
                throw new JobExecutionException("Job " + jobId + " is " + job.state + ", not running: no savepoint", null);
            }
            var opened = savepoints.open(jobId);
            long request = opened.getKey();
            done = opened.getValue();
            if (stop) {
                job.cancelRequested = true; // it ends with the savepoint: no restart
            }
            if (!sessions.send(job.worker, WorkerCommand.about(stop ? CommandKind.STOP : CommandKind.SAVEPOINT, jobId,
                    job.attempt, request, directory))) {
                savepoints.cancel(request);
                throw new JobExecutionException("Job " + jobId + ": its worker " + job.worker + " cannot be reached", null);
            }
        }
        try {
            return done.get(SAVEPOINT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            stopFailed(jobId, stop);
            throw new JobExecutionException("Job " + jobId + ": savepoint into " + directory + " failed: "
                    + Failures.oneLine(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            stopFailed(jobId, stop);
            throw new JobExecutionException("Job " + jobId + ": savepoint into " + directory + " did not complete within "
                    + SAVEPOINT_TIMEOUT_MILLIS + " ms", e);
        }
    }

    synchronized JobInfo info(String jobId) {
        return existing(jobId).info();
    }

    synchronized List<JobInfo> list() {
        return jobs.values().stream().map(ClusterJob::info).toList();
    }

    private ClusterJob existing(String jobId) {
        ClusterJob job = jobs.get(jobId);
        if (job == null) {
            throw new IllegalArgumentException("no job " + jobId + " on this coordinator");
        }
        return job;
    }

    /** Stops the scheduler; running jobs are left to their workers, which stop once this coordinator is gone. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        spread.close();
    }
}
