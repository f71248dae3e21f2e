package io.sluice.cluster.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.cluster.protocol.TaskMetrics;
import io.sluice.runtime.monitor.CheckpointRecord;
import io.sluice.runtime.monitor.JobView;
import io.sluice.runtime.monitor.SplitWatermark;
import io.sluice.runtime.monitor.SubtaskCounters;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * What the coordinator shows of a job run whole on a worker: the latest report's counters and splits, checkpoints
 * merged by id over overlapping reports and over attempts (bounded), failures named with their worker and kept across
 * attempts, a lost worker's attempt recorded and its counters dropped, no splits once the job ended, and the restarts
 * of each attempt's embedded supervisor added up.
 */
class ReportedJobViewTest {
    private static final List<JobView.Vertex> VERTICES = List.of(new JobView.Vertex(0, "src", 2, "source"),
            new JobView.Vertex(1, "sink", 1, "sink"));
    private static final List<JobView.Edge> EDGES = List.of(new JobView.Edge(0, 1, "rebalance"));

    private final ReportedJobView view = new ReportedJobView(VERTICES, EDGES);

    @Test
    void theGraphShowsBeforeAnyReport() {
        assertEquals(VERTICES, view.vertices());
        assertEquals(EDGES, view.edges());
        assertEquals(List.of(), view.subtasks(0));
        assertEquals(List.of(), view.checkpoints());
    }

    @Test
    void theLatestReportsCountersAndSplitsShow() {
        view.report("worker-1", 1, report(List.of(subtask(0, 0, 10), subtask(0, 1, 20)), List.of(), List.of()));
        view.report("worker-1", 1, report(List.of(subtask(0, 1, 25), subtask(0, 0, 12), subtask(1, 0, 37)),
                List.of(), List.of()));
        assertEquals(List.of(12L, 25L), view.subtasks(0).stream().map(SubtaskCounters::recordsOut).toList());
        assertEquals(List.of(37L), view.subtasks(1).stream().map(SubtaskCounters::recordsOut).toList());
        assertEquals(List.of(new SplitWatermark(0, 0, "seq-0", 100, false)), view.splits());
        view.ended();
        assertEquals(List.of(), view.splits(), "an ended job's readers hold no splits");
        assertEquals(List.of(12L, 25L), view.subtasks(0).stream().map(SubtaskCounters::recordsOut).toList(),
                "its final counts stay");
    }

    @Test
    void checkpointsAreMergedByIdOverReportsAndAttemptsAndBounded() {
        view.report("worker-1", 1, report(List.of(), checkpoints(1, 3), List.of()));
        view.report("worker-1", 1, report(List.of(), checkpoints(2, 5), List.of()));
        view.attemptFailed("worker-1", "worker worker-1 was lost (its control stream broke: UNAVAILABLE)");
        view.report("worker-2", 2, report(List.of(), checkpoints(6, 7), List.of()));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), view.checkpoints().stream().map(CheckpointRecord::id).toList());
        view.report("worker-2", 2, report(List.of(), checkpoints(8, ReportedJobView.MAX_CHECKPOINTS + 20), List.of()));
        List<CheckpointRecord> kept = view.checkpoints();
        assertEquals(ReportedJobView.MAX_CHECKPOINTS, kept.size());
        assertEquals(ReportedJobView.MAX_CHECKPOINTS + 20, kept.getLast().id(), "the oldest are forgotten");
    }

    @Test
    void failuresAreNamedWithTheirWorkerAndKeptAcrossAttempts() {
        JobView.JobException thrown = new JobView.JobException(5, "Operator 'sink' (subtask 1/1) threw x", "sink", 0, "");
        view.report("worker-1", 1, report(List.of(subtask(0, 0, 3)), List.of(), List.of(thrown)));
        view.report("worker-1", 1, report(List.of(subtask(0, 0, 4)), List.of(), List.of(thrown)));
        assertEquals(List.of(new JobView.JobException(5, thrown.message(), "sink", 0, "worker-1")), view.exceptions(),
                "reported twice, shown once");
        view.attemptFailed("worker-1", "worker worker-1 was lost (no heartbeat for more than 5000 ms)");
        assertEquals(List.of(), view.subtasks(0), "the lost attempt's counters are gone");
        view.report("worker-2", 2, report(List.of(subtask(0, 0, 1)), List.of(), List.of()));
        List<JobView.JobException> all = view.exceptions();
        assertEquals(2, all.size(), all.toString());
        assertEquals("worker-1", all.get(0).worker());
        assertTrue(all.get(1).message().startsWith("worker worker-1 was lost"), all.toString());
        assertEquals("worker-1", all.get(1).worker(), "the lost worker named");
        for (int i = 0; i < ReportedJobView.MAX_EXCEPTIONS; i++) {
            view.attemptFailed("worker-2", "failure " + i);
        }
        assertEquals(ReportedJobView.MAX_EXCEPTIONS, view.exceptions().size(), "bounded");
        assertEquals("failure " + (ReportedJobView.MAX_EXCEPTIONS - 1), view.exceptions().getLast().message());
    }

    private static TaskMetrics report(List<TaskMetrics.Subtask> subtasks, List<CheckpointRecord> checkpoints,
            List<JobView.JobException> exceptions) {
        return restarted(subtasks, checkpoints, exceptions, 0);
    }

    private static TaskMetrics restarted(List<TaskMetrics.Subtask> subtasks, List<CheckpointRecord> checkpoints,
            List<JobView.JobException> exceptions, int restarts) {
        return new TaskMetrics(subtasks, List.of(new TaskMetrics.Split(0, 0, "seq-0", 100, false)), checkpoints,
                exceptions, restarts);
    }

    @Test
    void theSupervisorsRestartsAddUpOverAttempts() {
        assertEquals(0, view.restarts());
        view.report("worker-1", 1, restarted(List.of(), List.of(), List.of(), 1));
        view.report("worker-1", 1, restarted(List.of(), List.of(), List.of(), 2));
        assertEquals(2, view.restarts(), "the latest report of the attempt counts, not their sum");
        view.attemptFailed("worker-1", "worker worker-1 was lost (its control stream broke: UNAVAILABLE)");
        assertEquals(2, view.restarts(), "a lost attempt's restarts stay");
        view.report("worker-2", 2, restarted(List.of(), List.of(), List.of(), 0));
        view.report("worker-2", 2, restarted(List.of(), List.of(), List.of(), 3));
        view.ended();
        assertEquals(5, view.restarts(), "each attempt's, added");
    }

    private static TaskMetrics.Subtask subtask(int node, int subtask, long records) {
        return new TaskMetrics.Subtask(node, subtask, records, records, 0, 0, 1_000, Long.MIN_VALUE, -1);
    }

    private static List<CheckpointRecord> checkpoints(long first, long last) {
        return LongStream.rangeClosed(first, last).mapToObj(id -> new CheckpointRecord(id, "COMPLETED", false, id, 1,
                1, 0, Map.of(), "")).toList();
    }
}
