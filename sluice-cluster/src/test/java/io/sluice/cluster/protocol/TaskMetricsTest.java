package io.sluice.cluster.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.CodedInputStream;
import io.sluice.runtime.monitor.CheckpointRecord;
import io.sluice.runtime.monitor.JobView;
import io.sluice.runtime.monitor.SplitWatermark;
import io.sluice.runtime.monitor.SubtaskCounters;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A worker's measurement reads back what was written, inside a METRICS task message, with a whole attempt's
 * checkpoints, failures and restarts; a negative restart count is refused; an empty one holds nothing; measurements of several workers read as one view, in order.
 */
class TaskMetricsTest {

    @Test
    void aMeasurementRoundTripsInsideItsTaskMessage() throws IOException {
        TaskMetrics metrics = new TaskMetrics(
                List.of(new TaskMetrics.Subtask(2, 1, 10, 20, 300, 400, 5_000, Long.MIN_VALUE, -1),
                        new TaskMetrics.Subtask(0, 0, 7, 7, 0, 1, 2, 1_700_000_000_000L, 4096)),
                List.of(new TaskMetrics.Split(0, 1, "seq-1", 42, true)));
        TaskMessage message = new TaskMessage(TaskMessage.Kind.METRICS, "job-1", 3, -1, -1, 0, "", 0, List.of(),
                List.of(metrics.toBytes()));
        TaskMessage read = TaskMessage.read(CodedInputStream.newInstance(message.toBytes()));
        assertEquals(TaskMessage.Kind.METRICS, read.kind());
        assertEquals(metrics, TaskMetrics.read(CodedInputStream.newInstance(read.blobs().getFirst())));
    }

    @Test
    void aWholeAttemptsCheckpointsFailuresAndRestartsRoundTrip() throws IOException {
        TaskMetrics metrics = new TaskMetrics(List.of(new TaskMetrics.Subtask(1, 0, 5, 5, 0, 0, 9, 3, 0)), List.of(),
                List.of(new CheckpointRecord(7, "COMPLETED", false, 1_700_000_000_000L, 40, 2_048, 3,
                                Map.of("0.0", 12L, "1.1", 30L), ""),
                        new CheckpointRecord(8, "FAILED", true, 1_700_000_001_000L, 10_000, 0, 0, Map.of(), "timed out")),
                List.of(new JobView.JobException(1_700_000_002_000L, "Operator 'Count' (subtask 2/2) threw x", "Count", 1,
                        ""), new JobView.JobException(3, "worker worker-2 was lost", "", -1, "worker-2")), 3);
        TaskMetrics read = TaskMetrics.of(TaskMessage.read(CodedInputStream.newInstance(
                metrics.message("job-2", 4).toBytes())));
        assertEquals(metrics, read);
    }

    @Test
    void aNegativeRestartCountIsRefused() throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        com.google.protobuf.CodedOutputStream out = com.google.protobuf.CodedOutputStream.newInstance(bytes);
        out.writeInt32(6, -2);
        out.flush();
        IOException e = assertThrows(IOException.class,
                () -> TaskMetrics.read(CodedInputStream.newInstance(bytes.toByteArray())));
        assertEquals("a measurement with -2 restarts (never negative)", e.getMessage());
    }

    @Test
    void aMetricsMessageWithoutItsMeasurementIsRefused() {
        TaskMessage empty = TaskMessage.of(TaskMessage.Kind.METRICS, "job-1", 0, -1, -1, 0, "", 0);
        IOException e = assertThrows(IOException.class, () -> TaskMetrics.of(empty));
        assertEquals("a METRICS message without its measurement", e.getMessage());
    }

    @Test
    void measurementsOfSeveralWorkersReadAsOneViewInOrder() {
        TaskMetrics a = new TaskMetrics(List.of(new TaskMetrics.Subtask(3, 1, 10, 11, 1, 2, 3, 4, -1),
                new TaskMetrics.Subtask(4, 0, 1, 1, 1, 1, 1, 1, 1)), List.of(new TaskMetrics.Split(0, 1, "s-b", 5, false)));
        TaskMetrics b = new TaskMetrics(List.of(new TaskMetrics.Subtask(3, 0, 20, 21, 5, 6, 7, 8, 99)),
                List.of(new TaskMetrics.Split(0, 0, "s-a", 6, true), new TaskMetrics.Split(0, 1, "s-a", 7, false)));
        assertEquals(List.of(new SubtaskCounters(0, 20, 21, 5, 6, 7, 8, 99), new SubtaskCounters(1, 10, 11, 1, 2, 3, 4, -1)),
                TaskMetrics.subtasks(List.of(a, b), 3));
        assertEquals(List.of(new SplitWatermark(0, 0, "s-a", 6, true), new SplitWatermark(0, 1, "s-a", 7, false),
                new SplitWatermark(0, 1, "s-b", 5, false)), TaskMetrics.splits(List.of(a, b)));
        assertEquals(List.of(), TaskMetrics.subtasks(List.of(a, b), 9), "an unknown vertex has none");
    }

    @Test
    void anEmptyMeasurementHoldsNothing() throws IOException {
        TaskMetrics read = TaskMetrics.read(CodedInputStream.newInstance(new byte[0]));
        assertEquals(new TaskMetrics(List.of(), List.of()), read);
    }
}
