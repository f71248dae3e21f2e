package io.sluice.cluster.coordinator;

import io.sluice.cluster.Failures;
import io.sluice.api.execution.JobExecutionException;
import io.sluice.api.execution.JobProgress;
import io.sluice.api.execution.JobResult;
import io.sluice.api.execution.OperatorMetrics;
import io.sluice.cluster.protocol.JobMessages.OperatorCount;
import io.sluice.cluster.protocol.TaskCodecs;
import io.sluice.cluster.protocol.TaskMessage;
import io.sluice.cluster.protocol.TaskMessage.Kind;
import io.sluice.cluster.protocol.TaskMetrics;
import io.sluice.runtime.checkpoint.OperatorSubtaskState;
import io.sluice.runtime.checkpoint.TaskGateway;
import io.sluice.runtime.checkpoint.TaskKey;
import io.sluice.runtime.checkpoint.storage.CheckpointWriter;
import io.sluice.runtime.checkpoint.storage.StateFileHandle;
import io.sluice.runtime.cluster.AttemptRun;
import io.sluice.runtime.cluster.TaskDeployment;
import io.sluice.runtime.source.SplitRequests;
import io.sluice.runtime.state.SnapshotKind;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of a job whose tasks run on several workers, as the coordinator's supervisor sees it: each task is
 * reached through its worker's control stream, and what the workers report (built, acknowledgements, split requests,
 * finished tasks, failures, the end of their share) drives the supervisor and its checkpoint coordinator. A failure
 * anywhere, or the loss of a worker, fails the whole attempt: every worker's share is cancelled. A job cancelled while
 * an attempt of it is being deployed (its first, when it has no supervisor yet, or a restart's, while its supervisor
 * waits for the deployment) has the deployment aborted here by the table ({@link #abortDeployment}). Thread-safe.
 */
final class RemoteAttempt implements AttemptRun {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteAttempt.class);
    /** How long the final actions of a finished job may take on its workers. */
    private static final long FINAL_ACTIONS_MILLIS = 60_000;

    private final String job;
    private final int attempt;
    private final TaskDeployment.Attempt setup;
    /** Sends a message to a worker; {@code false} if it cannot be reached (it is lost: its loss fails the attempt). */
    private final BiPredicate<String, TaskMessage> send;
    private final Map<TaskKey, String> placement;
    /** Told of the attempt's first failure (the job table shows the job restarting). */
    private final java.util.function.Consumer<String> onFailure;
    /** The workers running a share; never changes after construction (read without the lock). */
    private final Set<String> workers;
    private final Map<TaskKey, Gateway> gateways = new HashMap<>();
    private final Set<TaskKey> sources = new HashSet<>();
    private final long startNanos = System.nanoTime();
    /**
     * Each worker's latest measurement of its share (one per worker: a newer one replaces it until the share ended).
     * Written under this object's lock, read without it.
     */
    private final Map<String, TaskMetrics> measured = new java.util.concurrent.ConcurrentHashMap<>();

    // guarded by this
    /**
     * The workers sent this attempt's {@link Kind#DEPLOY}: where a {@link Kind#CANCEL} must go (a worker ignores one
     * of an attempt it was never told to build).
     */
    private final Set<String> deploySent = new HashSet<>();
    private final Set<String> deployed = new HashSet<>();
    private final Set<String> ended = new HashSet<>();
    private final Map<Integer, OperatorMetrics> counts = new TreeMap<>();
    private final List<OperatorSubtaskState> finalStates = new ArrayList<>();
    private final Set<Long> announced = new HashSet<>();
    private final Map<Long, CompletableFuture<String>> finalActions = new HashMap<>();
    private final Map<Long, CompletableFuture<List<String>>> posted = new HashMap<>();
    private long nextRequest = 1;
    private String deployFailure;
    private String failure;
    private boolean cancelled;
    /** Whether {@link #awaitDeployed} returned: from then on only the job's supervisor cancels the attempt. */
    private boolean deploymentOver;
    private long endNanos;

    RemoteAttempt(String job, int attempt, TaskDeployment.Attempt setup, Map<TaskKey, String> placement,
            BiPredicate<String, TaskMessage> send, java.util.function.Consumer<String> onFailure) {
        this.onFailure = onFailure;
        this.job = job;
        this.attempt = attempt;
        this.setup = setup;
        this.send = send;
        this.placement = Map.copyOf(placement);
        this.workers = Set.copyOf(placement.values());
        for (var spec : setup.plan().tasks()) {
            gateways.put(spec.key(), new Gateway(spec.key()));
            if (spec.sourceUid() != null) {
                sources.add(spec.key());
            }
        }
    }

    Set<String> workers() {
        return workers;
    }

    int attemptNumber() {
        return attempt;
    }

    /** Where an attempt is in its life, as a client's savepoint sees it. */
    enum Phase {
        /** Its workers are building their shares ({@link #awaitDeployed} has not returned). */
        DEPLOYING,
        /** Every worker built its share, and it has neither failed nor been cancelled. */
        RUNNING,
        /** It failed or was cancelled (its deployment too): its shares end, or ended. It never runs again. */
        ENDING
    }

    /** Where the attempt is now. Any thread. */
    synchronized Phase phase() {
        if (cancelled || failure != null || deployFailure != null) {
            return Phase.ENDING;
        }
        return deploymentOver ? Phase.RUNNING : Phase.DEPLOYING;
    }

    /**
     * Sends worker {@code worker} its share's {@link Kind#DEPLOY}, unless the attempt was cancelled or failed already:
     * then nothing is sent, since a share built after its {@link Kind#CANCEL} would never be ended. Sent under this
     * object's lock, so that the {@code CANCEL} of a cancel or failure, decided under it, follows every {@code DEPLOY}
     * on each worker's stream. {@code false} if the worker cannot be reached.
     */
    synchronized boolean sendDeploy(String worker, TaskMessage deploy) {
        if (cancelled || failure != null) {
            LOG.debug("Job {} attempt {}: not deployed to {}, the attempt ended already", job, attempt, worker);
            return true;
        }
        deploySent.add(worker);
        return send.test(worker, deploy);
    }

    /**
     * Waits until every worker built its share; throws the first reason one could not, or that the attempt was
     * cancelled meanwhile ({@link #abortDeployment}), saying whether it was the first attempt or a restart's. Either
     * way the deployment is over when this returns.
     */
    synchronized void awaitDeployed(long millis) throws InterruptedException, IOException {
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            while (deployed.size() < workers.size() && deployFailure == null && failure == null && !cancelled) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new IOException("the workers did not build the tasks within " + millis + " ms (built on "
                            + deployed + " of " + workers + ")");
                }
                wait(left);
            }
            if (cancelled) {
                // Which deployment: the supervisor's wording ("cannot start") is the same for the first and a restart.
                throw new IOException("it was cancelled while " + (attempt == 0 ? "its tasks"
                        : "the tasks of its restart (attempt " + attempt + ")") + " were being deployed (built on "
                        + new TreeSet<>(deployed) + " of " + new TreeSet<>(workers) + ")");
            }
            if (deployFailure != null || failure != null) {
                throw new IOException(deployFailure != null ? deployFailure : failure);
            }
        } finally {
            deploymentOver = true;
        }
    }

    /**
     * Cancels the attempt if it is still being deployed ({@link #awaitDeployed} has not returned): {@code CANCEL} goes
     * to the workers sent its {@code DEPLOY}, the others get none, and {@link #awaitDeployed} throws at once instead
     * of waiting for the workers' answers. Their late answers change nothing. {@code false} if the deployment is over:
     * the attempt runs (or failed), and only its supervisor cancels it. Any thread.
     */
    boolean abortDeployment() {
        List<String> hosting;
        Set<String> built;
        synchronized (this) {
            if (deploymentOver) {
                return false;
            }
            if (cancelled) {
                return true;
            }
            cancelled = true;
            hosting = List.copyOf(new TreeSet<>(deploySent));
            built = new TreeSet<>(deployed);
            notifyAll();
        }
        LOG.info("Job {} attempt {} cancelled while being deployed (built on {} of {}): cancelling its tasks on {}, "
                + "not waiting for the other answers", job, attempt, built, new TreeSet<>(workers), hosting);
        cancelShares(hosting);
        return true;
    }

    /** A message of worker {@code worker} about this attempt. */
    void onMessage(String worker, TaskMessage m) {
        if (!workers.contains(worker)) {
            // A process that registered again (under a new id) reporting on its old share: that share was lost
            // already, and nothing it says may count as the new registration's.
            LOG.info("Job {} attempt {}: {} from {}, which runs no share of this attempt: dropped", job, attempt,
                    m.kind(), worker);
            return;
        }
        switch (m.kind()) {
            case DEPLOYED -> deployed(worker, m.text());
            case SPLITS -> {
                SplitRequests requests = setup.splitRequests().get(m.text());
                if (requests != null) {
                    if (m.number() == 0) {
                        requests.registerReader(m.subtask());
                    } else {
                        requests.requestSplit(m.subtask());
                    }
                }
            }
            case ACK -> acknowledge(m);
            case DECLINE -> setup.responder().decline(key(m), m.checkpointId(), m.text());
            case TASK_FINISHED -> setup.listener().taskFinished(key(m), m.number(), states(m));
            case OPERATOR_FINISHED -> {
                for (OperatorSubtaskState s : states(m)) {
                    synchronized (this) {
                        finalStates.add(s);
                    }
                    setup.listener().operatorFinished(s);
                }
            }
            case FAILED -> fail(m.text() + (m.text().contains("[on ") ? "" : " [on " + worker + "]"));
            case ENDED -> ended(worker, m);
            case FINAL_ACTIONS_RUN -> {
                CompletableFuture<String> f;
                synchronized (this) {
                    f = finalActions.remove(m.checkpointId());
                }
                if (f != null) {
                    f.complete(m.text());
                }
            }
            case POSTED_RUN -> {
                CompletableFuture<List<String>> f;
                synchronized (this) {
                    f = posted.remove(m.checkpointId());
                }
                if (f != null) {
                    f.complete(m.strings());
                }
            }
            case METRICS -> measured(worker, m);
            default -> LOG.warn("Job {}: {} sent a {} message, which is not for the coordinator", job, worker, m.kind());
        }
    }

    /**
     * Keeps worker {@code worker}'s latest measurement of its share, unless its share ended: a worker sends its final
     * measurement just before {@link Kind#ENDED} on the same ordered stream, so one coming after it is stale and
     * would replace the final counts (a lost worker's share counts as ended too).
     */
    private void measured(String worker, TaskMessage m) {
        TaskMetrics metrics;
        try {
            metrics = TaskMetrics.of(m);
        } catch (IOException e) {
            LOG.warn("Job {}: {} sent a malformed measurement; ignored", job, worker, e);
            return;
        }
        synchronized (this) {
            if (ended.contains(worker)) {
                LOG.debug("Job {} attempt {}: a measurement of {} after its share ended: dropped", job, attempt, worker);
                return;
            }
            measured.put(worker, metrics);
        }
    }

    @Override
    public List<io.sluice.runtime.monitor.SubtaskCounters> subtasks(int nodeId) {
        return TaskMetrics.subtasks(measured.values(), nodeId);
    }

    @Override
    public List<io.sluice.runtime.monitor.SplitWatermark> splits() {
        return TaskMetrics.splits(measured.values());
    }

    private TaskKey key(TaskMessage m) {
        return new TaskKey(m.chain(), m.subtask(), attempt);
    }

    private static List<OperatorSubtaskState> states(TaskMessage m) {
        List<OperatorSubtaskState> states = new ArrayList<>();
        for (byte[] b : m.blobs()) {
            try {
                states.add(OperatorSubtaskState.fromBytes(b));
            } catch (IOException e) {
                throw new IllegalArgumentException("a malformed operator state from a worker: " + e.getMessage(), e);
            }
        }
        return states;
    }

    private synchronized void deployed(String worker, String problem) {
        deployed.add(worker);
        if (!problem.isEmpty() && deployFailure == null) {
            deployFailure = worker + " " + problem;
        }
        notifyAll();
    }

    /** The files a task reported are adopted into the coordinator's checkpoint, then the task's part counts. */
    private void acknowledge(TaskMessage m) {
        TaskKey task = key(m);
        CheckpointWriter writer = setup.responder().writer(m.checkpointId()).orElse(null);
        if (writer == null) {
            return; // aborted meanwhile
        }
        List<StateFileHandle> files = new ArrayList<>();
        try {
            for (byte[] b : m.blobs()) {
                StateFileHandle h = TaskCodecs.handle(b);
                writer.adopt(h);
                files.add(h);
            }
        } catch (IOException | RuntimeException e) {
            setup.responder().decline(task, m.checkpointId(), "its files cannot be taken into the checkpoint: "
                    + Failures.oneLine(e));
            return;
        }
        setup.responder().acknowledge(task, m.checkpointId(), files, m.number());
    }

    private void ended(String worker, TaskMessage m) {
        synchronized (this) {
            if (!ended.add(worker)) {
                return;
            }
            for (byte[] b : m.blobs()) {
                try {
                    OperatorCount c = OperatorCount.read(com.google.protobuf.CodedInputStream.newInstance(b));
                    counts.merge(c.nodeId(), new OperatorMetrics(c.nodeId(), c.name(), c.recordsIn(), c.recordsOut()),
                            (a, x) -> new OperatorMetrics(a.nodeId(), a.name(), a.recordsIn() + x.recordsIn(),
                                    a.recordsOut() + x.recordsOut()));
                } catch (IOException e) {
                    LOG.warn("Job {}: {} sent malformed counts", job, worker, e);
                }
            }
            if (ended.size() == workers.size()) {
                endNanos = System.nanoTime();
            }
            notifyAll();
        }
    }

    /** A worker of this attempt was lost: its share ended, and the attempt fails. */
    void workerLost(String worker, String reason) {
        if (!workers.contains(worker)) {
            return;
        }
        // The failure first: the share then counts as ended, and await() must never see every share ended without it
        // (it would take the attempt for finished and complete a final checkpoint without the lost tasks' state).
        fail("worker " + worker + " was lost (" + reason + ")");
        synchronized (this) {
            ended.add(worker);
            deployed.add(worker);
            if (ended.size() == workers.size()) {
                endNanos = System.nanoTime();
            }
            notifyAll(); // also when fail() woke nobody: the attempt had failed or was cancelled already
        }
    }

    /** The first failure: the supervisor hears it first, then every worker cancels its share. */
    private void fail(String reason) {
        synchronized (this) {
            if (failure != null || cancelled) {
                LOG.debug("Job {} attempt {}: a later failure: {}", job, attempt, reason);
                return;
            }
            failure = reason;
            notifyAll();
        }
        LOG.info("Job {} attempt {} failed: {}; cancelling its tasks on {}", job, attempt, reason, workers);
        onFailure.accept(reason);
        try {
            setup.listener().failing(reason);
        } catch (RuntimeException e) {
            LOG.warn("Job {}: aborting the failed attempt's checkpoints failed", job, e);
        }
        cancelShares();
    }

    /** {@code CANCEL} to every worker sent the attempt's {@code DEPLOY}. Called after a cancel or failure was decided. */
    private void cancelShares() {
        List<String> hosting;
        synchronized (this) {
            hosting = List.copyOf(deploySent); // none is added once cancelled or failed (sendDeploy)
        }
        cancelShares(hosting);
    }

    private void cancelShares(List<String> hosting) {
        for (String w : hosting) {
            send.test(w, TaskMessage.of(Kind.CANCEL, job, attempt, -1, -1, 0, "", 0)); // a lost one has stopped
        }
    }

    @Override
    public Map<TaskKey, ? extends TaskGateway> gateways() {
        return gateways;
    }

    @Override
    public Set<TaskKey> sourceTasks() {
        return sources;
    }

    @Override
    public void start() {
        for (String w : workers) {
            if (!send.test(w, TaskMessage.of(Kind.START, job, attempt, -1, -1, 0, "", 0))) {
                workerLost(w, "its control stream is closed");
            }
        }
    }

    @Override
    public synchronized JobResult await() throws JobExecutionException, InterruptedException {
        while (ended.size() < workers.size()) {
            wait();
        }
        if (failure != null) {
            throw new JobExecutionException("Job " + job + " failed: " + failure, null);
        }
        if (cancelled) {
            throw new JobExecutionException("Job " + job + " was cancelled", null);
        }
        return new JobResult(setup.plan().graph().name(), Duration.ofNanos(endNanos - startNanos),
                List.copyOf(counts.values()), List.of());
    }

    @Override
    public void cancel() {
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
        }
        cancelShares();
    }

    @Override
    public JobProgress progress() {
        return new JobProgress(setup.plan().graph().name(), Duration.ofNanos(System.nanoTime() - startNanos),
                List.of()); // the workers log their own progress lines
    }

    @Override
    public synchronized List<OperatorSubtaskState> finalStates() {
        return List.copyOf(finalStates);
    }

    @Override
    public void runFinalActions() throws Exception {
        Map<String, CompletableFuture<String>> pending = new HashMap<>();
        synchronized (this) {
            for (String w : workers) {
                long request = nextRequest++;
                CompletableFuture<String> f = new CompletableFuture<>();
                finalActions.put(request, f);
                pending.put(w, f);
                if (!send.test(w, TaskMessage.of(Kind.RUN_FINAL_ACTIONS, job, attempt, -1, -1, request, "", 0))) {
                    f.complete("worker " + w + " cannot be reached");
                }
            }
        }
        for (var e : pending.entrySet()) {
            String problem = e.getValue().get(FINAL_ACTIONS_MILLIS, TimeUnit.MILLISECONDS);
            if (!problem.isEmpty()) {
                throw new IOException("the final actions on " + e.getKey() + " failed: " + problem);
            }
        }
    }

    @Override
    public List<String> awaitPostedRun(long millis) throws InterruptedException {
        Map<String, CompletableFuture<List<String>>> pending = new HashMap<>();
        synchronized (this) {
            for (String w : workers) {
                long request = nextRequest++;
                CompletableFuture<List<String>> f = new CompletableFuture<>();
                posted.put(request, f);
                pending.put(w, f);
                if (!send.test(w, TaskMessage.of(Kind.AWAIT_POSTED, job, attempt, -1, -1, request, "", millis))) {
                    f.complete(List.of("the tasks on " + w + " (it cannot be reached)"));
                }
            }
        }
        List<String> late = new ArrayList<>();
        for (var e : pending.entrySet()) {
            try {
                late.addAll(e.getValue().get(millis + 5_000, TimeUnit.MILLISECONDS));
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException x) {
                late.add("the tasks on " + e.getKey() + " (no answer)");
            }
        }
        return late;
    }

    @Override
    public void failFromCoordinator(Throwable t) {
        fail("the source coordinator threw " + t);
    }

    /**
     * Says where checkpoint {@code id} is written to every worker of the attempt, once, before any of its sources is
     * triggered: a task receiving its barrier writes its files there.
     */
    private void announce(long id) {
        synchronized (this) {
            if (!announced.add(id)) {
                return;
            }
        }
        String root = setup.responder().writer(id).map(CheckpointWriter::storageLocation).orElse("");
        for (String w : workers) {
            send.test(w, TaskMessage.of(Kind.CHECKPOINT_STARTED, job, attempt, -1, -1, id, root, 0));
        }
    }

    /** A task on a worker, as the checkpoint coordinator reaches it. */
    private final class Gateway implements TaskGateway {
        private final TaskKey key;

        Gateway(TaskKey key) {
            this.key = key;
        }

        @Override
        public boolean triggerCheckpoint(long checkpointId, SnapshotKind kind) {
            announce(checkpointId);
            return send.test(placement.get(key), TaskMessage.of(Kind.TRIGGER, job, attempt, key.chainId(), key.subtask(),
                    checkpointId, "", kind == SnapshotKind.SAVEPOINT ? 1 : 0));
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            send.test(placement.get(key), TaskMessage.of(Kind.COMPLETE, job, attempt, key.chainId(), key.subtask(),
                    checkpointId, "", 0));
        }

        @Override
        public void abortCheckpoint(long checkpointId) {
            send.test(placement.get(key), TaskMessage.of(Kind.ABORT, job, attempt, key.chainId(), key.subtask(),
                    checkpointId, "", 0));
        }
    }
}
