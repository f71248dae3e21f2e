package io.sluice.cluster.coordinator;

import io.sluice.cluster.protocol.TaskMetrics;
import io.sluice.runtime.cluster.JobViews;
import io.sluice.runtime.monitor.CheckpointRecord;
import io.sluice.runtime.monitor.JobView;
import io.sluice.runtime.monitor.SplitWatermark;
import io.sluice.runtime.monitor.SubtaskCounters;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * What a job placed whole on one worker ({@code --placement job}) shows on the coordinator: its graph, from the job's
 * main here; every subtask's counters and every split's watermark as the worker running its current attempt last
 * reported them (about once a second, and once more as the attempt ends, so an ended job keeps its final counts); its
 * checkpoints, merged by id over the reports of every attempt (the last {@value #MAX_CHECKPOINTS}); and its failures:
 * those each attempt's embedded supervisor recorded (named with the worker they ran on) and those of the attempts
 * themselves (a lost worker), the last {@value #MAX_EXCEPTIONS}; and how often the attempts' embedded supervisors
 * restarted the job after task failures ({@link #restarts()}). Which report counts (the job's current attempt, on the
 * worker running it) is for the caller to decide. Plain values only, no class of the job: kept once the job ended.
 * Thread-safe.
 */
final class ReportedJobView implements JobDetail {
    /** At most this many checkpoints are kept (as the supervisor of a spread job keeps). */
    static final int MAX_CHECKPOINTS = 1_000;
    /** At most this many failures are kept. */
    static final int MAX_EXCEPTIONS = 64;
    private static final TaskMetrics NOTHING = new TaskMetrics(List.of(), List.of());

    private final List<JobView.Vertex> vertices;
    private final List<JobView.Edge> edges;
    // guarded by this
    private int attempt = Integer.MIN_VALUE;
    private TaskMetrics latest = NOTHING;
    private final TreeMap<Long, CheckpointRecord> checkpoints = new TreeMap<>();
    /** Failures of earlier attempts and of the attempts themselves, oldest first. */
    private final ArrayDeque<JobView.JobException> earlier = new ArrayDeque<>();
    /** The failures the current attempt's supervisor recorded, as it last reported them. */
    private List<JobView.JobException> current = List.of();
    /** The restarts of the earlier attempts' supervisors, each as its attempt last reported them. */
    private int earlierRestarts;
    /** The current attempt's supervisor's restarts, as it last reported them. */
    private int currentRestarts;

    /** A job of this graph ({@link JobViews#vertices}, {@link JobViews#edges}), before any report. */
    ReportedJobView(List<JobView.Vertex> vertices, List<JobView.Edge> edges) {
        this.vertices = List.copyOf(vertices);
        this.edges = List.copyOf(edges);
    }

    /** Worker {@code worker}'s report of attempt {@code attempt}, the job's current one there; replaces the last. */
    synchronized void report(String worker, int attempt, TaskMetrics measured) {
        if (attempt != this.attempt) {
            endAttempt();
            this.attempt = attempt;
        }
        latest = measured;
        for (CheckpointRecord c : measured.checkpoints()) {
            checkpoints.put(c.id(), c);
        }
        while (checkpoints.size() > MAX_CHECKPOINTS) {
            checkpoints.pollFirstEntry();
        }
        currentRestarts = measured.restarts();
        current = measured.exceptions().stream().map(e -> e.worker().isEmpty()
                ? new JobView.JobException(e.epochMillis(), e.message(), e.operator(), e.subtask(), worker) : e).toList();
    }

    /**
     * The current attempt failed as a whole on {@code worker} ({@code reason}: that worker was lost): recorded, naming
     * the worker; its counters are gone.
     */
    synchronized void attemptFailed(String worker, String reason) {
        endAttempt();
        keep(new JobView.JobException(System.currentTimeMillis(), reason, "", -1, worker));
    }

    /** The job ended: its readers hold no splits any more; the final counters stay. */
    synchronized void ended() {
        latest = new TaskMetrics(latest.subtasks(), List.of());
    }

    /** The current attempt's failures join the earlier ones; its counters are dropped. Under the lock. */
    private void endAttempt() {
        current.forEach(this::keep);
        current = List.of();
        earlierRestarts += currentRestarts;
        currentRestarts = 0;
        latest = NOTHING;
    }

    /**
     * How often the embedded supervisors of the job's attempts restarted it after task failures, added over its
     * attempts: each attempt's count as its worker last reported it, so exact for attempts that ended on their worker
     * (the final report goes just before the end) and up to about a second short for one whose worker was lost.
     * Restarts after the loss of a worker are the caller's to count.
     */
    synchronized int restarts() {
        return earlierRestarts + currentRestarts;
    }

    private void keep(JobView.JobException e) {
        if (earlier.size() == MAX_EXCEPTIONS) {
            earlier.removeFirst();
        }
        earlier.addLast(e);
    }

    @Override
    public List<JobView.Vertex> vertices() {
        return vertices;
    }

    @Override
    public List<JobView.Edge> edges() {
        return edges;
    }

    @Override
    public synchronized List<SubtaskCounters> subtasks(int vertexId) {
        return TaskMetrics.subtasks(List.of(latest), vertexId);
    }

    @Override
    public synchronized List<SplitWatermark> splits() {
        return TaskMetrics.splits(List.of(latest));
    }

    @Override
    public synchronized List<CheckpointRecord> checkpoints() {
        return List.copyOf(checkpoints.values());
    }

    @Override
    public synchronized List<JobView.JobException> exceptions() {
        List<JobView.JobException> all = new ArrayList<>(earlier);
        all.addAll(current);
        return List.copyOf(all.subList(Math.max(0, all.size() - MAX_EXCEPTIONS), all.size()));
    }
}
