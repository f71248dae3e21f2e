package io.sluice.runtime.monitor;

import java.util.List;
import java.util.Optional;

/**
 * A read-only view of one job, for operators (the REST API, the dashboard, metrics). Implementations are thread-safe
 * and cheap to call (they read counters the task threads write per batch, so values may lag slightly); every method
 * may be called at any time in the job's life, also after it ended (then counts are those of its last attempt).
 */
public interface JobView {

    /** The job's name, as its program gave it. */
    String name();

    /** CREATED, WAITING, RUNNING, RESTARTING, FINISHED, FAILED or CANCELLED. */
    String state();

    /** When the job was submitted, wall clock. */
    long startEpochMillis();

    /** How long it ran (so far, while it runs). */
    long durationMillis();

    /** Its largest parallelism (slots it needs). */
    int parallelism();

    /** Restarts so far. */
    int restarts();

    /** The job graph's vertices (operators), in graph order; empty before the job's main built it. */
    List<Vertex> vertices();

    /** The job graph's edges. */
    List<Edge> edges();

    /**
     * The counters of each subtask of {@code vertexId} in the current attempt, cumulative since that attempt started;
     * empty when this process does not see them (a job whose tasks run elsewhere) or the vertex is unknown.
     */
    List<SubtaskCounters> subtasks(int vertexId);

    /** The watermark of each split the sources' readers hold now (empty without event time or counters here). */
    List<SplitWatermark> splits();

    /** The latest checkpoints, oldest first (bounded). */
    List<CheckpointRecord> checkpoints();

    /** The job's checkpoint directory, where savepoints may also go; empty without one. */
    Optional<String> checkpointDirectory();

    /** The failures of its attempts, oldest first (bounded). */
    List<JobException> exceptions();

    /**
     * Fields an implementation adds to the job's summary (the REST API's {@code /v1/jobs}), after the ones above and
     * never replacing them: a coordinator's worker, failure and operator counts, say. Values are strings, numbers,
     * booleans, lists or maps of those; empty by default. Thread-safe like every method here.
     */
    default java.util.Map<String, Object> details() {
        return java.util.Map.of();
    }

    /** A vertex of the job graph: an operator with its parallelism; {@code kind} is source, operator or sink. */
    record Vertex(int id, String name, int parallelism, String kind) {}

    /** An edge of the job graph; {@code partitioning} as the graph names it (forward, hash, rebalance, ...). */
    record Edge(int source, int target, String partitioning) {}

    /** A failure of an attempt: when, the message, and the operator, subtask and worker it names ("" when unknown). */
    record JobException(long epochMillis, String message, String operator, int subtask, String worker) {}
}
