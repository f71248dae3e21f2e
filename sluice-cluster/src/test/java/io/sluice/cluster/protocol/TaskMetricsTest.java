package io.sluice.cluster.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A worker's measurement reads back what was written, inside a METRICS task message; an empty one holds nothing. */
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
    void anEmptyMeasurementHoldsNothing() throws IOException {
        TaskMetrics read = TaskMetrics.read(CodedInputStream.newInstance(new byte[0]));
        assertEquals(new TaskMetrics(List.of(), List.of()), read);
    }
}
