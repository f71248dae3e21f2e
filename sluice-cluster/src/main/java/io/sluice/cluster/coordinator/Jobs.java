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
import io.sluice.cluster.protocol.JobMessages.JobInfo;
import io.sluice.cluster.protocol.JobMessages.WorkerEvent;
import io.sluice.runtime.cluster.JobViews;
import io.sluice.runtime.recovery.RestartDecider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's job table: accepts submissions (at most {@value #MAX_JOBS} jobs kept), runs each job's main (which
 * builds its graph) and prepares the graph it submits, keeps each job's state as clients see it ({@link ClusterJob}),
 * routes the workers' events and the clients' commands (cancel, savepoints) to the jobs, and ends jobs. Where a job's
 * attempts run is the business of one of two placements, as the coordinator was started: {@link SpreadJobs} (a
 * supervisor here, the tasks spread over the workers' slots) or {@link WholeJobs} (each attempt whole on one worker,
 * placed by {@link WholePlacer}). Both share the table's {@link SlotTable}. Checkpoints go to a directory every
 * process sees.
 *
 * <p>Thread-safe: every transition happens under this table's lock (also when a placement makes it); commands are
 * sent to workers under it, so each worker receives them in the order they were decided. Owns one scheduler thread
 * (main time-outs, whole jobs' placement and restarts) and each job main's thread.
 */
public final class Jobs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Jobs.class);
    /** At most this many jobs are kept (running or ended); a submission beyond it is refused. */
    static final int MAX_JOBS = 256;

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
    private final SpreadJobs spread;
    private final WholeJobs whole;
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
        this.spread = new SpreadJobs(this, settings.slotWaitMillis(), slots, registry, sessions, blobs, clockMillis);
        this.whole = new WholeJobs(this, new WholePlacer(this, settings.slotWaitMillis(), slots, sessions, clockMillis),
                sessions, scheduler, clockMillis);
        if (!settings.spreadTasks()) { // a spread job's supervisor places its attempts itself (RemoteDeployment)
            scheduler.scheduleWithFixedDelay(whole::placeWaiting, 250, 250, TimeUnit.MILLISECONDS);
        }
    }

    /** The live workers with a control stream: where attempts can go. */
    List<WorkerStatus> attachedWorkers() {
        return registry.status().stream().filter(w -> sessions.isAttached(w.workerId())).toList();
    }

    /**
     * Whether a client cancelled job {@code jobId} (or it is gone): {@link ClusterJob#cancelled}, never the mark a stop
     * with a savepoint sets while it runs, which a refused stop takes back (the job runs on, and restarts as before).
     */
    synchronized boolean cancelled(String jobId) {
        ClusterJob job = jobs.get(jobId);
        return job == null || job.cancelled;
    }

    /** How many of a worker's slots jobs use now. */
    int usedSlots(String worker) {
        return slots.used(worker);
    }

    synchronized ClusterJob job(String id) {
        return jobs.get(id);
    }

    /** The ids of the jobs kept, oldest first. */
    synchronized List<String> ids() {
        return List.copyOf(jobs.keySet());
    }

    /** Every job kept, oldest first. */
    synchronized List<ClusterJob> all() {
        return List.copyOf(jobs.values());
    }

    /** The jobs run by a supervisor here, whose tasks are spread over workers. */
    synchronized List<ClusterJob> spreadJobs() {
        return jobs.values().stream().filter(j -> j.supervisor != null || j.remote != null).toList();
    }

    /**
     * A spread job's supervisor deploys its attempt {@code attempt} (before any worker is sent its tasks): the workers'
     * messages about the job go to that attempt from now on, and the job shows it running on its workers. A job
     * cancelled before this (its first attempt waited for slots or was being planned; or its supervisor was about to
     * deploy a restart when the cancel came) has the attempt's deployment aborted here; a cancel after this aborts it
     * in {@link #cancel}. Both under this lock: a cancel sees the attempt, or the attempt sees the cancel.
     */
    synchronized void attemptDeploying(ClusterJob job, RemoteAttempt attempt) {
        if (job.state.isFinal()) {
            attempt.abortDeployment(); // never happens while the supervisor runs; an ended job deploys nothing
            return;
        }
        job.remote = attempt;
        job.state = ClusterJob.State.RUNNING;
        job.attempt = attempt.attemptNumber();
        job.attemptRestarts = attempt.attemptNumber();
        job.worker = String.join(",", new java.util.TreeSet<>(attempt.workers()));
        if (job.cancelled) {
            attempt.abortDeployment();
        }
    }

    /**
     * A spread job's supervisor exists (its first attempt is deployed); {@code true} if the job was cancelled while
     * that deployment ran, and the caller must cancel the supervisor (a stop's mark cannot be set yet: a stop before
     * the supervisor exists is refused).
     */
    synchronized boolean supervisorStarted(ClusterJob job, io.sluice.api.execution.JobClient supervisor) {
        job.supervisor = supervisor;
        return job.cancelled;
    }

    /** A spread job's attempt failed: the job shows as restarting (or ends, as its supervisor decides). */
    synchronized void attemptFailed(ClusterJob job, String reason) {
        if (!job.state.isFinal() && !job.cancelRequested) {
            job.state = ClusterJob.State.RESTARTING;
            job.failure = reason;
        }
    }

    /**
     * A spread job's supervisor ended (or could not start): the slots its attempts reserved are given back, and the job
     * ends as it did, unless it ended already.
     */
    synchronized void supervisorEnded(ClusterJob job, io.sluice.api.execution.JobResult result, Throwable failure) {
        slots.release(job.id); // before the check: whatever ended the job first, its tasks' slots are free only now
        if (job.state.isFinal()) {
            return;
        }
        job.worker = "";
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
            job = new ClusterJob("job-" + nextJob++, !settings.spreadTasks(), argv, jars, this);
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
                whole.place(job);
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
            job.checkpointIdBeforeStart = ClusterJob.latestCompleted(job.checkpointDir).orElse(-1);
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

    /** A worker's event on its control stream. */
    void onEvent(String workerId, WorkerEvent event) {
        if (event.task() != null && settings.spreadTasks()) {
            spread.onMessage(workerId, event.task()); // not under the lock: it drives the job's supervisor
            return;
        }
        if (event.task() != null) {
            whole.reported(workerId, event.task());
            return;
        }
        synchronized (this) {
            switch (event.kind()) {
                case SAVEPOINT_DONE, SAVEPOINT_FAILED -> whole.savepointAnswered(workerId, event);
                case RUNNING, FINISHED, FAILED -> whole.attemptEvent(jobs.get(event.jobId()), workerId, event);
                case ATTACH -> LOG.warn("{} attached twice; ignored", workerId);
                case TASKS -> throw new IllegalStateException("handled above");
            }
        }
    }

    /** Ends a job for good: frees its slots and completes what its main and clients wait for. Under the lock. */
    void end(ClusterJob job, ClusterJob.State state, String failure) {
        whole.ending(job, state);
        job.state = state;
        job.worker = "";
        if (!failure.isEmpty()) {
            job.failure = failure;
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

    /** A worker was declared lost: the attempts on it failed; each job restarts as its restart strategy says. */
    void workerGone(String workerId, String reason) {
        spread.workerLost(workerId, reason); // a spread job's supervisor restarts it (its attempt failed)
        synchronized (this) {
            sessions.drop(workerId);
            slots.forget(workerId);
            if (!settings.spreadTasks()) {
                whole.workerLost(workerId, reason, all());
            }
        }
    }

    /** A stop-with-savepoint failed: the job runs on, and a later failure restarts it as before. */
    synchronized void stopFailed(String jobId, boolean stop) {
        ClusterJob job = jobs.get(jobId);
        if (stop && job != null && !job.state.isFinal()) {
            job.cancelRequested = false;
        }
    }

    /**
     * Cancels a job: its attempt is told to stop; a job whose main has not submitted it yet ends at once. A spread job
     * ends when its supervisor does, or when its first attempt's deployment, aborted here, fails its start; either
     * gives its slots back (supervisorEnded). An attempt being deployed, the first or a restart's, is aborted at once
     * ({@link RemoteAttempt#abortDeployment}): the cancel never waits for the workers to build their tasks.
     */
    void cancel(String jobId) {
        synchronized (this) {
            ClusterJob job = existing(jobId);
            if (job.state.isFinal()) {
                return;
            }
            job.cancelRequested = true;
            job.cancelled = true;
            if (!job.whole && job.state != ClusterJob.State.CREATED) {
                cancelSpread(job);
                return;
            }
            whole.cancel(job);
        }
    }

    /**
     * Cancels a spread job whose main submitted it. Never ends it here: its supervisor's end, or its failed start,
     * does (supervisorEnded), which gives back the slots its attempts hold. Under the lock.
     */
    private void cancelSpread(ClusterJob job) {
        if (job.supervisor != null) {
            // First, so that the supervisor's restart loop sees the cancel before the abort below fails the restart's
            // deployment, and ends the job instead of counting one more failed attempt. It cancels the running
            // attempt; between attempts it deploys none after this, or (after a restart's deployment) the new one.
            job.supervisor.cancel();
        }
        // The attempt being deployed, if any: its deployment stops waiting for the workers' answers and fails the
        // supervisor's start (the first attempt) or its restart. Without a supervisor the first attempt may still wait
        // for slots (reserveSlots sees the request and fails the start) or be about to be deployed (attemptDeploying
        // sees it); if its deployment is over already, the supervisor about to exist is cancelled (supervisorStarted).
        // An attempt deployed already is not aborted (false): it runs, and its supervisor cancels it.
        RemoteAttempt current = job.remote;
        if (current != null) {
            current.abortDeployment();
        }
    }

    /**
     * Takes a savepoint of a running job into {@code directory} (and then stops it, with {@code stop}); its path. A
     * spread job whose attempt does not run now (its first attempt not yet running, a restart pending or being
     * deployed, or the job ended) is refused, naming the job and why ({@link SavepointRefusal}), and left as it was.
     */
    String savepoint(String jobId, String directory, boolean stop) throws JobExecutionException, InterruptedException {
        io.sluice.api.execution.JobClient supervisor;
        synchronized (this) {
            ClusterJob job = existing(jobId);
            if (!job.whole) {
                JobExecutionException refused = SavepointRefusal.of(job, stop);
                if (refused != null) {
                    throw refused; // before the mark below: a refused stop leaves the job as it was
                }
            }
            supervisor = job.supervisor;
            if (supervisor != null && stop) {
                job.cancelRequested = true;
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
        return whole.savepoint(jobId, directory, stop);
    }

    synchronized JobInfo info(String jobId) {
        return existing(jobId).info();
    }

    synchronized List<JobInfo> list() {
        return jobs.values().stream().map(ClusterJob::info).toList();
    }

    /** The job {@code jobId}; an exception naming it if there is none. Under the lock. */
    ClusterJob existing(String jobId) {
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
