package io.sluice.runtime.operator.factory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.graph.CheckpointConfig;
import io.sluice.api.graph.RestartStrategy;
import io.sluice.api.sink.DiscardingSink;
import io.sluice.api.sink.SinkContext;
import io.sluice.api.sink.TwoPhaseCommitSink;
import io.sluice.runtime.cluster.LocalExecutor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a transactional sink is told about how long its pre-committed transactions may wait: the job's checkpoint
 * interval + checkpoint timeout + its restart strategy's longest wait, computed by hand here for each strategy, and
 * the value a running job's sink writers really see.
 */
@Timeout(60)
class RecoveryTimeTest {
    private static final Duration INTERVAL = Duration.ofMillis(700);
    private static final Duration TIMEOUT = Duration.ofSeconds(11);
    /** What each writer of the job under test saw, by subtask. */
    private static final Map<Integer, Duration> SEEN = new ConcurrentHashMap<>();

    private static StreamEnvironment job(RestartStrategy strategy) {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(2).setRestartStrategy(strategy);
        env.enableCheckpointing(CheckpointConfig.every(INTERVAL).withTimeout(TIMEOUT));
        return env;
    }

    @Test
    void intervalPlusTimeoutPlusTheLongestRestartWait() {
        Map<RestartStrategy, Duration> longestWait = Map.of(
                RestartStrategy.none(), Duration.ZERO,
                RestartStrategy.fixedDelay(3, Duration.ofSeconds(5)), Duration.ofSeconds(5),
                RestartStrategy.failureRate(2, Duration.ofMinutes(1), Duration.ofSeconds(4)), Duration.ofSeconds(4),
                RestartStrategy.exponentialBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 2.0, Duration.ofMinutes(5)),
                Duration.ofSeconds(30));
        longestWait.forEach((strategy, wait) -> {
            StreamEnvironment env = job(strategy);
            env.generateSequence(1, 10).sinkTo(new DiscardingSink<>());
            assertEquals(INTERVAL.plus(TIMEOUT).plus(wait), RecoveryTime.of(env.buildJobGraph("recovery")),
                    strategy.toString());
        });
        StreamEnvironment unchecked = StreamEnvironment.create();
        unchecked.generateSequence(1, 10).sinkTo(new DiscardingSink<>());
        assertEquals(Duration.ZERO, RecoveryTime.of(unchecked.buildJobGraph("no checkpoints")));
    }

    @Test
    void aRunningJobsTransactionalSinkSeesIt() throws Exception {
        SEEN.clear();
        StreamEnvironment env = job(RestartStrategy.fixedDelay(2, Duration.ofSeconds(3)));
        env.generateSequence(1, 1_000).sinkTo(new Recording());
        new LocalExecutor().submit(env.buildJobGraph("sees recovery")).await();
        Duration expected = INTERVAL.plus(TIMEOUT).plusSeconds(3);
        assertEquals(Map.of(0, expected, 1, expected), Map.copyOf(SEEN));
    }

    /** A transactional sink that records the context's recovery time and drops the records. */
    private static final class Recording implements TwoPhaseCommitSink<Long, Long> {
        @Override
        public TransactionalWriter<Long, Long> createWriter(SinkContext context) {
            SEEN.put(context.subtaskIndex(), context.expectedRecoveryTime());
            return new TransactionalWriter<>() {
                @Override
                public void recover(List<Long> committedByCheckpoint) {}

                @Override
                public Long preCommit(long checkpointId) {
                    return checkpointId;
                }

                @Override
                public void commit(Long transaction) {}

                @Override
                public void write(Long record) {}

                @Override
                public void close() {}
            };
        }
    }
}
