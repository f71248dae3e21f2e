package io.sluice.cluster.coordinator;

import io.sluice.runtime.monitor.CheckpointRecord;
import io.sluice.runtime.monitor.JobView;
import io.sluice.runtime.monitor.SplitWatermark;
import io.sluice.runtime.monitor.SubtaskCounters;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a spread job's supervisor showed as it ended (graph, each subtask's final counters as its workers last
 * reported them, checkpoints, failures), kept by the job table once the supervisor and the job's classes are let go,
 * so the REST API still answers with what the job did. Plain values only, no job class. Immutable.
 *
 * @param vertices    the job graph's vertices
 * @param edges       its edges
 * @param subtasks    each vertex's subtask counters, by vertex id
 * @param checkpoints the latest checkpoints
 * @param exceptions  the failures of its attempts
 */
record EndedJobView(List<JobView.Vertex> vertices, List<JobView.Edge> edges, Map<Integer, List<SubtaskCounters>> subtasks,
        List<CheckpointRecord> checkpoints, List<JobView.JobException> exceptions) implements JobDetail {

    EndedJobView {
        vertices = List.copyOf(vertices);
        edges = List.copyOf(edges);
        subtasks = Map.copyOf(subtasks);
        checkpoints = List.copyOf(checkpoints);
        exceptions = List.copyOf(exceptions);
    }

    /** The view {@code job} shows now. */
    static EndedJobView of(JobView job) {
        List<JobView.Vertex> vertices = job.vertices();
        return new EndedJobView(vertices, job.edges(), vertices.stream()
                .collect(Collectors.toMap(JobView.Vertex::id, v -> job.subtasks(v.id()))), job.checkpoints(),
                job.exceptions());
    }

    /** Vertex {@code id}'s subtasks, empty for an unknown vertex. */
    @Override
    public List<SubtaskCounters> subtasks(int id) {
        return subtasks.getOrDefault(id, List.of());
    }

    /** An ended job's readers hold no splits. */
    @Override
    public List<SplitWatermark> splits() {
        return List.of();
    }
}
