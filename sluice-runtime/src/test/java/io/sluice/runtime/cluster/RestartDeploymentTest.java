package io.sluice.runtime.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.JobExecutionException;
import io.sluice.api.functions.MapFunction;
import io.sluice.api.graph.RestartStrategy;
import io.sluice.api.sink.CollectSink;
import io.sluice.api.types.Types;
import io.sluice.runtime.checkpoint.SumPerKey;
import io.sluice.runtime.config.EngineConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A restart whose attempt cannot be deployed (on a cluster: too few slots, a worker lost while its tasks were built)
 * is one more failed attempt, as the restart strategy decides: the job restarts again while the strategy allows, and
 * fails naming the deployment's reason when it does not. It used to end the job at the first such failure.
 */
@Timeout(60)
class RestartDeploymentTest {
    private static final long N = 20_000;
    /** The first attempt's map fails once, when this is set (the job runs in this JVM). */
    private static final AtomicBoolean FAIL_ONCE = new AtomicBoolean();

    /** Fails the first record it sees while {@link #FAIL_ONCE} is set, then passes everything. */
    private static final class FailsOnce implements MapFunction<Long, Long> {
        @Override
        public Long map(Long value) {
            if (FAIL_ONCE.compareAndSet(true, false)) {
                throw new IllegalStateException("injected failure of the first attempt");
            }
            return value;
        }
    }

    /** Deploys in this JVM, except the attempts numbered in {@code refused}, whose deployment fails. */
    private static final class RefusingDeployment implements TaskDeployment {
        private final LocalDeployment local = new LocalDeployment(EngineConfig.defaults());
        private final Set<Integer> refused;
        final List<Integer> attempts = new CopyOnWriteArrayList<>();

        RefusingDeployment(Set<Integer> refused) {
            this.refused = refused;
        }

        @Override
        public AttemptRun deploy(Attempt attempt) throws Exception {
            int number = attempt.plan().attempt();
            attempts.add(number);
            if (refused.contains(number)) {
                throw new IOException("needs 2 free slot(s) on the cluster; waited 0 ms, 1 were free");
            }
            return local.deploy(attempt);
        }
    }

    private static StreamEnvironment job(CollectSink<String> sink, int restarts) {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(2)
                .setRestartStrategy(RestartStrategy.fixedDelay(restarts, Duration.ofMillis(5)));
        env.generateSequence(1, N, 100_000).uid("numbers")
                .map(new FailsOnce(), Types.LONG).uid("fails once")
                .keyBy(v -> v % SumPerKey.KEYS)
                .process(new SumPerKey(), Types.STRING).uid("sum")
                .sinkTo(sink).uid("collect");
        return env;
    }

    @Test
    void restartsThatCannotBeDeployedCountAsFailedAttemptsAndTheJobGoesOn() throws Exception {
        CollectSink<String> sink = new CollectSink<>();
        RefusingDeployment deployment = new RefusingDeployment(Set.of(1, 2));
        FAIL_ONCE.set(true);
        try {
            new DeployingExecutor(deployment).submit(job(sink, 3).buildJobGraph("refused twice")).await();
            assertEquals(List.of(0, 1, 2, 3), deployment.attempts, "attempt 0 failed, 1 and 2 were refused, 3 ran");
            assertEquals(SumPerKey.oracle(N), SumPerKey.parse(sink.results()));
        } finally {
            sink.clear();
        }
    }

    @Test
    void whenTheStrategyGivesUpTheJobFailsNamingTheDeploymentsReason() throws Exception {
        CollectSink<String> sink = new CollectSink<>();
        RefusingDeployment deployment = new RefusingDeployment(Set.of(1, 2, 3));
        FAIL_ONCE.set(true);
        try {
            JobExecutionException e = assertThrows(JobExecutionException.class,
                    () -> new DeployingExecutor(deployment).submit(job(sink, 2).buildJobGraph("refused")).await());
            assertEquals(List.of(0, 1, 2), deployment.attempts, "two restarts allowed, both refused");
            assertTrue(e.getMessage().contains("needs 2 free slot(s)") && e.getMessage().contains("not restarted"),
                    e.getMessage());
        } finally {
            sink.clear();
        }
    }
}
