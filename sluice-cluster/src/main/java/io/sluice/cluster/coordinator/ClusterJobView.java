package io.sluice.cluster.coordinator;

import io.sluice.runtime.monitor.CheckpointRecord;
import io.sluice.runtime.monitor.JobView;
import io.sluice.runtime.monitor.MonitoredJob;
import io.sluice.runtime.monitor.SplitWatermark;
import io.sluice.runtime.monitor.SubtaskCounters;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A job of the coordinator's table as the REST API sees it: state, times, slots and restarts from the table (read
 * under its lock); graph, checkpoints and failures from the job's supervisor when it runs here (spread jobs,
 * {@code --placement tasks}), as are per-subtask counters and split watermarks: the latest measurement each worker
 * sent of its share of the current attempt (about a second old); once it ended, what it showed then
 * ({@link EndedJobView}). A job placed whole on one worker ({@code --placement job}) shows the same, as that worker
 * reports it ({@link ReportedJobView}; its graph from the job's main here). Thread-safe.
 */
final class ClusterJobView implements JobView {
    private final Jobs table;
    private final ClusterJob job;
    private final long startEpochMillis;

    ClusterJobView(Jobs table, ClusterJob job) {
        this.table = table;
        this.job = job;
        this.startEpochMillis = System.currentTimeMillis() - (System.nanoTime() - job.submittedNanos) / 1_000_000;
    }

    /**
     * Where the graph, counters, checkpoints and failures come from now: what the job showed as it ended (a spread
     * job), its supervisor here (a spread job running), what its worker reports (a job placed whole), or nothing yet.
     */
    private JobDetail detail() {
        EndedJobView ended = job.ended;
        if (ended != null) {
            return ended;
        }
        if (job.supervisor instanceof MonitoredJob m) {
            return JobDetail.of(m);
        }
        ReportedJobView reported = job.reported;
        return reported != null ? reported : JobDetail.NONE;
    }

    @Override
    public String name() {
        synchronized (table) {
            return job.jobName.isEmpty() ? "(main of " + job.id + ")" : job.jobName;
        }
    }

    @Override
    public String state() {
        synchronized (table) {
            return job.state.name();
        }
    }

    @Override
    public long startEpochMillis() {
        return startEpochMillis;
    }

    @Override
    public long durationMillis() {
        synchronized (table) {
            return job.state.isFinal() ? job.durationMillis : (System.nanoTime() - job.submittedNanos) / 1_000_000;
        }
    }

    @Override
    public int parallelism() {
        synchronized (table) {
            return job.slots;
        }
    }

    @Override
    public int restarts() {
        synchronized (table) {
            return job.restarts();
        }
    }

    @Override
    public List<Vertex> vertices() {
        return detail().vertices();
    }

    @Override
    public List<Edge> edges() {
        return detail().edges();
    }

    @Override
    public List<SubtaskCounters> subtasks(int vertexId) {
        return detail().subtasks(vertexId);
    }

    @Override
    public List<SplitWatermark> splits() {
        return detail().splits();
    }

    @Override
    public List<CheckpointRecord> checkpoints() {
        return detail().checkpoints();
    }

    @Override
    public Optional<String> checkpointDirectory() {
        synchronized (table) {
            return Optional.ofNullable(job.checkpointDir).map(d -> d.toAbsolutePath().normalize().toString());
        }
    }

    @Override
    public List<JobException> exceptions() {
        List<JobException> result = new ArrayList<>(detail().exceptions());
        String failure;
        synchronized (table) {
            failure = job.state == ClusterJob.State.FAILED ? job.failure : "";
        }
        if (!failure.isEmpty() && result.stream().noneMatch(e -> e.message().equals(failure))) {
            result.add(io.sluice.runtime.cluster.JobViews.exception(System.currentTimeMillis(), failure));
        }
        return result;
    }

    /**
     * What {@code bin/sluice list} shows of the job besides the summary: {@code jobName} (as its program named it,
     * {@code ""} before its main built the job), {@code worker} (where a job placed whole runs, {@code ""} otherwise),
     * {@code failure} ({@code ""} unless it failed) and {@code operators} (each {@code nodeId}, {@code name},
     * {@code recordsIn}, {@code recordsOut} of a finished job).
     */
    @Override
    public java.util.Map<String, Object> details() {
        io.sluice.cluster.protocol.JobMessages.JobInfo info;
        synchronized (table) {
            info = job.info();
        }
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("jobName", info.name());
        m.put("worker", info.worker());
        m.put("failure", info.failure());
        m.put("operators", info.operators().stream().map(o -> java.util.Map.of("nodeId", o.nodeId(), "name", o.name(),
                "recordsIn", o.recordsIn(), "recordsOut", o.recordsOut())).toList());
        return m;
    }
}
