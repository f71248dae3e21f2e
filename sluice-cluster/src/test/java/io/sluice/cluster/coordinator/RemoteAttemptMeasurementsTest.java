package io.sluice.cluster.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.cluster.protocol.TaskMessage;
import io.sluice.cluster.protocol.TaskMessage.Kind;
import io.sluice.cluster.protocol.TaskMetrics;
import io.sluice.runtime.checkpoint.OperatorSubtaskState;
import io.sluice.runtime.checkpoint.TaskKey;
import io.sluice.runtime.cluster.AttemptListener;
import io.sluice.runtime.cluster.TaskDeployment;
import io.sluice.runtime.monitor.SubtaskCounters;
import io.sluice.runtime.plan.ExecutionPlan;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the coordinator keeps of the measurements the workers send of their shares of a spread attempt: each worker's
 * latest, until its share ended. A measurement that comes after the share's {@code ENDED} (the final one goes just
 * before it) is a stale one and must not replace the final counts.
 */
class RemoteAttemptMeasurementsTest {
    private static final int NODE = 3;

    private final RemoteAttempt attempt = new RemoteAttempt("job-1", 0,
            new TaskDeployment.Attempt(new ExecutionPlan(null, null, 0, List.of(), null), Map.of(), null, null, null,
                    Duration.ZERO, new AttemptListener() {
                        @Override
                        public void failing(String reason) {}

                        @Override
                        public void taskFinished(TaskKey task, long lastCheckpointTaken, List<OperatorSubtaskState> s) {}

                        @Override
                        public void operatorFinished(OperatorSubtaskState state) {}
                    }),
            Map.of(new TaskKey(0, 0, 0), "worker-1", new TaskKey(0, 1, 0), "worker-2"), (worker, m) -> true,
            reason -> {});

    private static TaskMessage measured(int subtask, long recordsOut) {
        return new TaskMetrics(List.of(new TaskMetrics.Subtask(NODE, subtask, recordsOut, recordsOut, 0, 0, 1_000, 0,
                -1)), List.of()).message("job-1", 0);
    }

    private static TaskMessage ended() {
        return new TaskMessage(Kind.ENDED, "job-1", 0, -1, -1, 0, "", 0, List.of(), List.of());
    }

    private List<Long> recordsOut() {
        return attempt.subtasks(NODE).stream().map(SubtaskCounters::recordsOut).toList();
    }

    @Test
    void aMeasurementAfterTheShareEndedDoesNotReplaceItsFinalCounts() {
        attempt.onMessage("worker-1", measured(0, 10));
        attempt.onMessage("worker-2", measured(1, 20));
        attempt.onMessage("worker-1", measured(0, 40)); // its final measurement
        attempt.onMessage("worker-1", ended());
        attempt.onMessage("worker-1", measured(0, 30)); // measured before the final one, sent after it
        attempt.onMessage("worker-2", measured(1, 25)); // a share still running: its newer measurement counts
        assertEquals(List.of(40L, 25L), recordsOut());
    }

    @Test
    void aLostWorkersLateMeasurementIsDropped() {
        attempt.onMessage("worker-2", measured(1, 20));
        attempt.workerLost("worker-2", "its control stream broke");
        attempt.onMessage("worker-2", measured(1, 5));
        assertEquals(List.of(20L), recordsOut());
    }
}
