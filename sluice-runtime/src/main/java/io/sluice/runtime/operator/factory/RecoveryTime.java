package io.sluice.runtime.operator.factory;

import io.sluice.api.graph.CheckpointConfig;
import io.sluice.api.graph.JobGraph;
import io.sluice.api.graph.RestartStrategy;
import java.time.Duration;

/**
 * How long a transaction a sink pre-committed at a checkpoint may have to wait for its commit, from the job's
 * settings: the checkpoint interval (the next checkpoint may be the one that completes), plus the checkpoint timeout,
 * plus the restart strategy's longest wait (a failure before the commit restarts the job, which commits on restore).
 * Zero for a job without checkpoints. What {@link io.sluice.api.sink.SinkContext#expectedRecoveryTime()} says.
 */
public final class RecoveryTime {
    private RecoveryTime() {}

    public static Duration of(JobGraph graph) {
        CheckpointConfig checkpoints = graph.checkpointing();
        if (checkpoints == null) {
            return Duration.ZERO;
        }
        return checkpoints.interval().plus(checkpoints.timeout()).plus(longestRestartWait(graph.restartStrategy()));
    }

    private static Duration longestRestartWait(RestartStrategy strategy) {
        return switch (strategy) {
            case null -> Duration.ZERO;
            case RestartStrategy.None none -> Duration.ZERO;
            case RestartStrategy.FixedDelay fixed -> fixed.delay();
            case RestartStrategy.FailureRate rate -> rate.delay();
            case RestartStrategy.ExponentialBackoff backoff -> backoff.max();
        };
    }
}
