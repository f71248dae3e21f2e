package io.sluice.runtime.checkpoint;

import io.sluice.api.graph.CheckpointConfig;
import io.sluice.runtime.checkpoint.storage.CheckpointStorage;
import io.sluice.runtime.checkpoint.storage.CheckpointWriter;
import io.sluice.runtime.checkpoint.storage.CompletedCheckpoint;
import io.sluice.runtime.checkpoint.storage.CompletedCheckpointStore;
import io.sluice.runtime.checkpoint.storage.StateFileHandle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Triggers checkpoints at the sources, collects every running task's acknowledgement, completes a checkpoint (its
 * metadata written last, by the {@link CompletedCheckpointStore}) and tells the tasks; aborts a checkpoint that
 * times out or is declined. Lives across the runs of a job (restarts), so checkpoint ids keep increasing.
 *
 * <p>Thread-safe: its own scheduling thread triggers, task and I/O threads acknowledge; state changes are
 * synchronized (a few per checkpoint, never per record).
 */
public final class CheckpointCoordinator implements CheckpointResponder {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointCoordinator.class);
    /** One line per finished checkpoint, shown with the CLI's progress lines. */
    private static final Logger PROGRESS = LoggerFactory.getLogger("io.sluice.progress.checkpoints");

    private final String jobName;
    private final CheckpointConfig config;
    private final CheckpointStorage storage;
    private final CompletedCheckpointStore store;
    private final ScheduledExecutorService scheduler;
    /** Whether each completed checkpoint is logged with the progress lines (they are on for the job). */
    private final boolean logCompletions;
    private final TreeMap<Long, PendingCheckpoint> pending = new TreeMap<>();
    /** At most this many checkpoints are kept in {@link #history()}. */
    static final int MAX_HISTORY = 1_000;
    private final List<CheckpointStats> history = new ArrayList<>();
    private Map<TaskKey, TaskGateway> runningTasks = Map.of();
    /** The run's coordinator-side state (source enumerators), snapshotted before its sources are triggered. */
    private CoordinatorCheckpointing coordinatorState = CoordinatorCheckpointing.NONE;
    /**
     * Source subtasks of this run that read all their splits. Every later checkpoint records them as finished, so a
     * restore does not read their input again (and a fully finished source is not started from scratch).
     */
    private final Map<String, OperatorSubtaskState> finishedStates = new HashMap<>();
    private Set<TaskKey> sourceTasks = Set.of();
    /** The attempt whose tasks take part now; -1 between attempts (after a failure, before the next run starts). */
    private int attempt = -1;
    private long lastId;
    private long lastEndNanos;
    private long lastTriggerNanos;
    private ScheduledFuture<?> periodic;
    private boolean shutDown;
    /** Periodic checkpoints are off (a stop-with-savepoint is in progress). */
    private boolean suspended;

    /** No periodic checkpoint starts from now on (stop-with-savepoint: nothing may commit after the savepoint). */
    public synchronized void suspendPeriodic() {
        suspended = true;
    }

    /** Periodic checkpoints start again: a stop-with-savepoint failed and the job runs on. */
    public synchronized void resumePeriodic() {
        suspended = false;
    }

    private final class PendingCheckpoint {
        final long id;
        final long startNanos = System.nanoTime();
        final long startEpochMillis = System.currentTimeMillis();
        final CheckpointWriter writer;
        final Set<TaskKey> awaiting;
        final List<StateFileHandle> files = new ArrayList<>();
        final Set<TaskKey> acked = new HashSet<>();
        /** For a savepoint: completed with its path (or failed); {@code null} for a checkpoint. */
        java.util.concurrent.CompletableFuture<String> savepoint;
        /**
         * Whether completion is announced to the tasks (sinks commit). Not for a plain savepoint: failover restores
         * checkpoints, never savepoints, so a savepoint must not make output visible that a restore would replay.
         */
        boolean notifyTasks = true;
        long lastAckMillis;
        long maxAlignmentMillis;
        final Map<TaskKey, Long> ackMillis = new TreeMap<>(java.util.Comparator.comparingInt(TaskKey::chainId)
                .thenComparingInt(TaskKey::subtask));
        int acknowledged;
        ScheduledFuture<?> timeout;

        PendingCheckpoint(long id, CheckpointWriter writer, Set<TaskKey> awaiting) {
            this.id = id;
            this.writer = writer;
            this.awaiting = awaiting;
        }
    }

    /**
     * @param logCompletions whether every completed checkpoint and savepoint gets a line on the logger
     *                       {@code io.sluice.progress.checkpoints}: when the job reports its progress
     */
    public CheckpointCoordinator(String jobName, CheckpointConfig config, CheckpointStorage storage,
            CompletedCheckpointStore store, ScheduledExecutorService scheduler, boolean logCompletions) {
        this.jobName = jobName;
        this.logCompletions = logCompletions;
        this.config = config;
        this.storage = storage;
        this.store = store;
        this.scheduler = scheduler;
        this.lastId = store == null ? 0L : store.latest().map(CompletedCheckpoint::checkpointId).orElse(0L);
    }

    /**
     * Attempt {@code attemptNumber}'s tasks take part from now on; periodic triggering (re)starts.
     *
     * @param tasks            how to reach each task of the attempt
     * @param sources          the source tasks (triggered; the others receive barriers)
     * @param coordinatorState the attempt's coordinator-side state, part of every checkpoint
     */
    public synchronized void startRun(int attemptNumber, Map<TaskKey, ? extends TaskGateway> tasks, Set<TaskKey> sources,
            CoordinatorCheckpointing coordinatorState) {
        attempt = attemptNumber;
        this.coordinatorState = coordinatorState;
        runningTasks = new HashMap<>(tasks);
        sourceTasks = new HashSet<>(sources);
        finishedStates.clear();
        if (config == null) {
            return; // savepoints only
        }
        long interval = config.interval().toMillis();
        if (periodic == null) {
            periodic = scheduler.scheduleWithFixedDelay(this::triggerQuietly, interval, Math.max(1, interval / 10),
                    TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Attempt {@code attemptNumber} failed: its pending checkpoints are aborted now, before its tasks close (a task
     * closing its state must never race an upload into a checkpoint that can still complete), and nothing of it is
     * accepted any more. Called by the first failure's thread, before the attempt's tasks are cancelled.
     */
    public synchronized void failRun(int attemptNumber, String reason) {
        if (attemptNumber == attempt) {
            stopRun("attempt " + attemptNumber + " failed: " + reason);
        }
    }

    /** The run ended (finished, failed, or cancelled): pending checkpoints are aborted, none is triggered. */
    public synchronized void stopRun(String reason) {
        for (PendingCheckpoint p : new ArrayList<>(pending.values())) {
            abort(p, "job run ended: " + reason);
        }
        runningTasks = Map.of();
        sourceTasks = Set.of();
        coordinatorState = CoordinatorCheckpointing.NONE;
        attempt = -1;
    }

    /** Whether {@code task} belongs to the attempt taking part now; logs what is dropped otherwise. */
    private boolean isCurrent(TaskKey task, long checkpointId, String what) {
        if (task.attempt() == attempt) {
            return true;
        }
        LOG.debug("Job '{}': {} of checkpoint {} by a task of ended attempt {} dropped", jobName, what, checkpointId,
                task.attempt());
        return false;
    }

    /**
     * A task finished its input: it takes no further part. Pending checkpoints it did not take part in (ids above
     * {@code lastCheckpointTaken}) stop waiting for it; those it took part in still wait for its acknowledgement,
     * which its asynchronous part sends. {@code finished} holds one state per operator of the task as it ended (a
     * source with no splits left, other operators empty): every later checkpoint records them, so a restore knows
     * these subtasks finished rather than finding their state missing. Their empty state is what a finished subtask
     * needs: it finished because all its input ended, so every source upstream is recorded finished as well, and
     * everything it emitted is in the state of the tasks downstream, which read its end of input before aligning.
     */
    public synchronized void taskFinished(TaskKey task, long lastCheckpointTaken, List<OperatorSubtaskState> finished) {
        if (!isCurrent(task, lastCheckpointTaken, "the end")) {
            return;
        }
        runningTasks.remove(task);
        sourceTasks.remove(task);
        for (OperatorSubtaskState s : finished) {
            // A final state the operator left (a sink's last transactions) stays: it is what restores must commit.
            finishedStates.putIfAbsent(s.uid() + "#" + s.subtask(), s);
        }
        for (PendingCheckpoint p : new ArrayList<>(pending.values())) {
            if (p.id > lastCheckpointTaken && p.awaiting.remove(task)) {
                completeIfDone(p);
            }
        }
    }

    private void triggerQuietly() {
        try {
            triggerIfDue();
        } catch (Exception e) {
            LOG.warn("Job '{}': triggering a checkpoint failed", jobName, e);
        }
    }

    /** Starts a checkpoint if the interval, the pause and the in-flight limit allow; returns its id or -1. */
    public synchronized long triggerIfDue() throws IOException {
        if (config == null || shutDown || suspended || sourceTasks.isEmpty() || pending.size() >= config.maxConcurrent()) {
            return -1;
        }
        long now = System.nanoTime();
        if (lastEndNanos != 0 && now - lastEndNanos < config.minPause().toNanos()) {
            return -1;
        }
        if (lastTriggerNanos != 0 && now - lastTriggerNanos < config.interval().toNanos()) {
            return -1;
        }
        lastTriggerNanos = now;
        return start(storage, config.timeout().toMillis(), null);
    }

    /** Starts checkpoint number {@code ++lastId} written to {@code target}; returns its id or -1. */
    private long start(CheckpointStorage target, long timeoutMillis, java.util.concurrent.CompletableFuture<String> savepoint)
            throws IOException {
        long id = ++lastId;
        PendingCheckpoint p = new PendingCheckpoint(id, target.begin(id), new HashSet<>(runningTasks.keySet()));
        p.savepoint = savepoint;
        pending.put(id, p);
        p.timeout = scheduler.schedule(() -> timeout(id, timeoutMillis), timeoutMillis, TimeUnit.MILLISECONDS);
        int run = attempt;
        coordinatorState.checkpoint(id, p.writer, files -> triggerSources(id, run, files),
                failure -> coordinatorStateFailed(id, failure));
        return id;
    }

    /**
     * The coordinator-side state of checkpoint {@code id} is written ({@code files}): triggers the sources of attempt
     * {@code run}. Called on the thread that orders split assignments, so each source's trigger follows exactly the
     * assignments the enumerator state does not hold.
     */
    private synchronized void triggerSources(long id, int run, List<StateFileHandle> files) {
        PendingCheckpoint p = pending.get(id);
        if (p == null || run != attempt) {
            return; // aborted meanwhile
        }
        p.files.addAll(files);
        io.sluice.runtime.state.SnapshotKind kind = p.savepoint != null ? io.sluice.runtime.state.SnapshotKind.SAVEPOINT
                : io.sluice.runtime.state.SnapshotKind.CHECKPOINT;
        for (TaskKey source : sourceTasks) {
            if (!runningTasks.get(source).triggerCheckpoint(id, kind)) {
                abort(p, "the mailbox of a source task is full");
                return;
            }
        }
    }

    private synchronized void coordinatorStateFailed(long id, Exception failure) {
        PendingCheckpoint p = pending.get(id);
        if (p != null) {
            LOG.warn("Job '{}': checkpoint {}: writing the source enumerators' state failed", jobName, id, failure);
            abort(p, "the source enumerators' state could not be written: " + failure);
        }
    }

    /**
     * Starts a savepoint into {@code directory} (its own storage: never deleted by retention). The future completes with
     * the savepoint's path once it is complete and its completion notices were posted, or fails with the reason.
     */
    public synchronized java.util.concurrent.CompletableFuture<String> triggerSavepoint(java.nio.file.Path directory,
            boolean commitSideEffects) {
        java.util.concurrent.CompletableFuture<String> result = new java.util.concurrent.CompletableFuture<>();
        if (shutDown || sourceTasks.isEmpty()) {
            result.completeExceptionally(new IllegalStateException("no running source to take a savepoint from"));
            return result;
        }
        try {
            long id = start(new io.sluice.runtime.checkpoint.storage.FileSystemCheckpointStorage(directory), 10 * 60_000L, result);
            PendingCheckpoint p = pending.get(id);
            if (p != null) {
                p.notifyTasks = commitSideEffects;
            }
        } catch (IOException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    private synchronized void timeout(long id, long timeoutMillis) {
        PendingCheckpoint p = pending.get(id);
        if (p != null) {
            abort(p, "timed out after " + timeoutMillis + " ms");
        }
    }

    @Override
    public synchronized Optional<CheckpointWriter> writer(long checkpointId) {
        PendingCheckpoint p = pending.get(checkpointId);
        return p == null ? Optional.empty() : Optional.of(p.writer);
    }

    @Override
    public synchronized void acknowledge(TaskKey task, long checkpointId, List<StateFileHandle> files, long alignmentMillis) {
        if (!isCurrent(task, checkpointId, "an acknowledgement")) {
            return;
        }
        PendingCheckpoint p = pending.get(checkpointId);
        if (p == null || !p.awaiting.remove(task)) {
            return; // aborted, or a task of an ended run
        }
        p.files.addAll(files);
        p.acked.add(task);
        p.lastAckMillis = (System.nanoTime() - p.startNanos) / 1_000_000;
        p.ackMillis.put(task, p.lastAckMillis);
        p.maxAlignmentMillis = Math.max(p.maxAlignmentMillis, alignmentMillis);
        p.acknowledged++;
        completeIfDone(p);
    }

    @Override
    public synchronized void decline(TaskKey task, long checkpointId, String reason) {
        if (!isCurrent(task, checkpointId, "a decline")) {
            return;
        }
        PendingCheckpoint p = pending.get(checkpointId);
        if (p != null) {
            abort(p, "declined by " + reason);
        }
    }

    private void completeIfDone(PendingCheckpoint p) {
        if (!p.awaiting.isEmpty()) {
            return;
        }
        pending.remove(p.id);
        p.timeout.cancel(false);
        CompletedCheckpoint completed;
        try {
            java.util.Set<String> written = new HashSet<>();
            p.files.forEach(f -> written.add(f.name()));
            for (OperatorSubtaskState s : finishedStates.values()) {
                String name = OperatorSubtaskState.fileName(s.uid(), s.subtask());
                if (written.add(name)) { // a task that acknowledged wrote its own, newer state
                    p.files.add(p.writer.writeFile(name, s.toBytes()));
                }
            }
            byte[] payload = jobName.getBytes(StandardCharsets.UTF_8);
            completed = p.savepoint != null ? p.writer.complete(payload) : store.complete(p.writer, payload);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Job '{}': checkpoint {} could not be completed", jobName, p.id, e);
            p.writer.abort();
            record(p, "ABORTED: " + e.getMessage());
            if (p.savepoint != null) {
                p.savepoint.completeExceptionally(e);
            }
            return;
        }
        record(p, "COMPLETED");
        CheckpointStats stats = history.getLast();
        if (logCompletions) {
            PROGRESS.info("{} {} complete: {} ms, {} bytes, alignment {} ms (max), acknowledged after {} ms by task (chain.subtask)",
                p.savepoint != null ? "savepoint" : "checkpoint", p.id, stats.durationMillis(), stats.sizeBytes(),
                p.maxAlignmentMillis, ackTimes(p));
        }
        // Earlier checkpoints still pending can never complete after a later one did.
        for (PendingCheckpoint older : new ArrayList<>(pending.headMap(p.id).values())) {
            abort(older, "subsumed by checkpoint " + p.id);
        }
        if (p.notifyTasks) {
            for (TaskGateway t : runningTasks.values()) {
                t.notifyCheckpointComplete(p.id);
            }
        }
        if (p.savepoint != null) {
            p.savepoint.complete(completed.location());
        }
    }

    private void abort(PendingCheckpoint p, String reason) {
        if (pending.remove(p.id) == null) {
            return;
        }
        if (p.timeout != null) {
            p.timeout.cancel(false);
        }
        p.writer.abort();
        record(p, "ABORTED: " + reason);
        if (p.savepoint != null) {
            p.savepoint.completeExceptionally(new IllegalStateException("savepoint " + p.id + " aborted: " + reason));
        }
        PROGRESS.info("checkpoint {} aborted: {}", p.id, reason);
        for (TaskGateway t : runningTasks.values()) {
            t.abortCheckpoint(p.id);
        }
    }

    private void record(PendingCheckpoint p, String status) {
        lastEndNanos = System.nanoTime();
        Map<String, Long> acks = new java.util.LinkedHashMap<>();
        p.ackMillis.forEach((k, ms) -> acks.put(k.chainId() + "." + k.subtask(), ms));
        history.add(new CheckpointStats(p.id, status, (lastEndNanos - p.startNanos) / 1_000_000, size(p), p.acknowledged,
                p.startEpochMillis, p.maxAlignmentMillis, p.savepoint != null, acks));
        if (history.size() > MAX_HISTORY) {
            history.removeFirst(); // bounded: the oldest is forgotten
        }
    }

    private static String ackTimes(PendingCheckpoint p) {
        StringBuilder sb = new StringBuilder("{");
        p.ackMillis.forEach((k, ms) -> sb.append(sb.length() > 1 ? ", " : "").append(k.chainId()).append('.').append(k.subtask())
                .append('=').append(ms));
        return sb.append('}').toString();
    }

    private static long size(PendingCheckpoint p) {
        return p.files.stream().mapToLong(StateFileHandle::size).sum();
    }

    /**
     * An operator of a finished task left its final state (a transactional sink's last pre-committed transactions):
     * every later checkpoint holds it, so a restore commits those transactions rather than aborting them.
     */
    public synchronized void operatorFinished(OperatorSubtaskState state) {
        finishedStates.put(state.uid() + "#" + state.subtask(), state);
    }

    /**
     * Every task of the run ended successfully: writes a final checkpoint holding the finished sources and
     * {@code finalStates} (the sinks' last pre-committed transactions), so a failure or crash from now on restores it
     * (its recovery commits those transactions, no input is replayed). Without checkpoint storage, does nothing.
     */
    public synchronized void completeFinalCheckpoint(List<OperatorSubtaskState> finalStates) throws IOException {
        if (store == null || shutDown) {
            return;
        }
        for (PendingCheckpoint p : new ArrayList<>(pending.values())) {
            abort(p, "superseded by the final checkpoint");
        }
        long id = ++lastId;
        CheckpointWriter writer = storage.begin(id);
        try {
            Map<String, OperatorSubtaskState> byFile = new HashMap<>();
            for (OperatorSubtaskState s : finishedStates.values()) {
                byFile.put(OperatorSubtaskState.fileName(s.uid(), s.subtask()), s);
            }
            for (OperatorSubtaskState s : finalStates) {
                byFile.put(OperatorSubtaskState.fileName(s.uid(), s.subtask()), s);
            }
            List<OperatorSubtaskState> states = new ArrayList<>(byFile.values());
            for (OperatorSubtaskState s : states) {
                writer.writeFile(OperatorSubtaskState.fileName(s.uid(), s.subtask()), s.toBytes());
            }
            store.complete(writer, jobName.getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            writer.abort();
            throw e;
        }
    }

    /** The id the next checkpoint will get. */
    public synchronized long nextCheckpointId() {
        return lastId + 1;
    }

    /** The last {@value #MAX_HISTORY} checkpoints, oldest first. */
    public synchronized List<CheckpointStats> history() {
        return List.copyOf(history);
    }

    /** The newest completed checkpoint, if any. */
    public Optional<CompletedCheckpoint> latestCompleted() {
        return store == null ? Optional.empty() : store.latest();
    }

    /** Stops triggering; retained checkpoints stay or go as {@code termination} says. */
    public void shutdown(CompletedCheckpointStore.Termination termination) {
        synchronized (this) {
            shutDown = true;
            if (periodic != null) {
                periodic.cancel(false);
            }
            for (PendingCheckpoint p : new ArrayList<>(pending.values())) {
                abort(p, "job ended");
            }
        }
        try {
            if (store != null) {
                store.shutdown(termination);
            }
        } catch (IOException e) {
            LOG.warn("Job '{}': cleaning up checkpoints failed", jobName, e);
        }
    }
}
