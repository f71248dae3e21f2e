package io.sluice.runtime.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.JobClient;
import io.sluice.api.execution.JobExecutionException;
import io.sluice.api.execution.JobProgress;
import io.sluice.api.execution.JobResult;
import io.sluice.api.sink.CollectSink;
import io.sluice.api.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** executeAsync: progress while running, await, and cancelling an unbounded job. */
@Timeout(30)
class JobClientTest {

    private static long sourceCount(JobProgress p) {
        return p.operators().stream().filter(o -> o.name().equals("Forever")).findFirst().orElseThrow().recordsOut();
    }

    @Test
    void cancellingAnUnboundedJobEndsItAndAllItsThreads() throws Exception {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(2);
        env.generateSequence(0, Long.MAX_VALUE).name("Forever")
                .rebalance()
                .filter(v -> v < 0).name("Nothing")
                .sinkTo(new CollectSink<>()).name("Out");
        JobClient client = env.executeAsync("forever");
        long before = sourceCount(client.progress());
        long seen = before;
        while (seen < before + 100_000) { // the job makes progress
            Thread.sleep(5);
            seen = sourceCount(client.progress());
        }
        client.cancel();
        client.cancel(); // idempotent
        JobExecutionException e = assertThrows(JobExecutionException.class, client::await);
        assertEquals("Job 'forever' was cancelled", e.getMessage(), "a cancel is reported as such, not as a failure");
        FailureTest.assertNoSluiceThreadsRemain();
        assertEquals("forever", client.progress().jobName());
    }

    @Test
    void progressNeverGoesBackAndAwaitGivesTheFinalCounts() throws Exception {
        long n = 3_000_000;
        StreamEnvironment env = StreamEnvironment.create().setParallelism(2);
        env.generateSequence(1, n).name("Forever")
                .map(v -> v * 2, Types.LONG).name("Double")
                .rebalance()
                .filter(v -> v % 3 == 0).name("Thirds")
                .sinkTo(new CollectSink<>()).name("Out");
        JobClient client = env.executeAsync("progress");
        long last = 0;
        for (int i = 0; i < 50; i++) {
            long now = sourceCount(client.progress());
            assertTrue(now >= last, "source count went back from " + last + " to " + now);
            assertTrue(now <= n, "more records than the source has: " + now);
            last = now;
            Thread.sleep(1);
        }
        JobResult result = client.await();
        assertEquals(n, result.operator("Forever").recordsOut());
        assertEquals(n, result.operator("Double").recordsOut());
        assertEquals(n, result.operator("Thirds").recordsIn());
        assertEquals(n / 3, result.operator("Thirds").recordsOut());
        // after the end, progress shows the final counts too
        assertEquals(n, sourceCount(client.progress()));
        // await may be called again and gives the same result
        assertEquals(result.operators(), client.await().operators());
    }
    /** Started flag for the slow map below. */
    static final java.util.concurrent.atomic.AtomicBoolean SLOW_STARTED = new java.util.concurrent.atomic.AtomicBoolean();

    @Test
    void cancellingAJobWhoseProducersAreBlockedByBackpressureReportsACancel() throws Exception {
        SLOW_STARTED.set(false);
        StreamEnvironment env = StreamEnvironment.create().setParallelism(2);
        env.setExecutor(new io.sluice.runtime.cluster.LocalExecutor(
                io.sluice.runtime.config.EngineConfig.defaults().withBatchSize(8).withChannelCapacity(1)));
        env.generateSequence(0, Long.MAX_VALUE).name("Forever")
                .map(v -> v + 1, Types.LONG).name("Chained") // chained to the source, writes into the channel
                .rebalance()
                .map(v -> {
                    SLOW_STARTED.set(true);
                    Thread.sleep(10);
                    return v;
                }, Types.LONG).name("Slow").setParallelism(1)
                .sinkTo(new CollectSink<>()).name("Out").setParallelism(1);
        JobClient client = env.executeAsync("blocked-cancel");
        while (!SLOW_STARTED.get()) {
            Thread.sleep(1);
        }
        Thread.sleep(100); // the producers fill their channels and wait for room
        client.cancel();
        JobExecutionException e = assertThrows(JobExecutionException.class, client::await);
        assertEquals("Job 'blocked-cancel' was cancelled", e.getMessage(), "a cancel is reported as such, not as a failure");
        FailureTest.assertNoSluiceThreadsRemain();
    }
}
