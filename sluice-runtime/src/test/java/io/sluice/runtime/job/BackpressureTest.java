package io.sluice.runtime.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.ChannelMetrics;
import io.sluice.api.execution.JobClient;
import io.sluice.api.execution.JobProgress;
import io.sluice.api.execution.JobResult;
import io.sluice.api.sink.Sink;
import io.sluice.api.sink.SinkContext;
import io.sluice.api.sink.SinkWriter;
import io.sluice.runtime.cluster.LocalExecutor;
import io.sluice.runtime.config.EngineConfig;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A fast source into a slow sink across a channel: the source must be held back so that the records in flight never
 * exceed what the channels and the open batches can hold, and nothing may be lost.
 */
class BackpressureTest {

    static final long N = 2_000_000;
    static final int BATCH = 64;
    static final int CAPACITY = 4;
    static final int PRODUCERS = 2;
    static final int CONSUMERS = 1;

    /** What the slow sink has written so far, over all its subtasks (a test runs one job at a time). */
    static final AtomicLong WRITTEN = new AtomicLong();
    static final AtomicLong SUM = new AtomicLong();

    /** Sleeps about a millisecond every 2,000 records; counts and sums what it writes. */
    static final class SlowSink implements Sink<Long> {
        @Override
        public SinkWriter<Long> createWriter(SinkContext context) {
            return new SinkWriter<>() {
                long count;

                @Override
                public void write(Long record) throws InterruptedException {
                    SUM.addAndGet(record);
                    WRITTEN.incrementAndGet();
                    if (++count % 2_000 == 0) {
                        Thread.sleep(1);
                    }
                }

                @Override
                public void close() {}
            };
        }
    }

    @Test
    @Timeout(60)
    void recordsInFlightStayBoundedAndNoneIsLost() throws Exception {
        WRITTEN.set(0);
        SUM.set(0);
        StreamEnvironment env = StreamEnvironment.create().setParallelism(PRODUCERS);
        env.setExecutor(new LocalExecutor(EngineConfig.defaults().withBatchSize(BATCH).withChannelCapacity(CAPACITY)));
        env.generateSequence(1, N).name("Numbers")
                .sinkTo(new SlowSink()).name("Slow").setParallelism(CONSUMERS);

        // Records read but not yet written can only be in: the channels (capacity batches each), one batch per
        // channel in its producer's hands (open, or full and waiting for room), the batch the consumer is
        // working on, and the one record a source may have counted but not yet handed on.
        int channels = PRODUCERS * CONSUMERS;
        long bound = (long) channels * CAPACITY * BATCH + (long) channels * BATCH + (long) CONSUMERS * BATCH + PRODUCERS;

        JobClient client = env.executeAsync("backpressure");
        long maxInFlight = 0;
        int samples = 0;
        long read = 0;
        while (read < N) {
            // the source's count first: the written count read after it can only be larger, so this never
            // overestimates what was in flight at the moment the source's count was taken
            JobProgress progress = client.progress();
            read = progress.operators().stream().filter(o -> o.name().equals("Numbers")).findFirst().orElseThrow().recordsOut();
            long written = WRITTEN.get();
            long inFlight = read - written;
            maxInFlight = Math.max(maxInFlight, inFlight);
            samples++;
            assertTrue(inFlight <= bound, "sample " + samples + ": " + inFlight + " records in flight (read " + read
                    + ", written " + written + "), more than the " + bound + " the channels and batches can hold");
            Thread.sleep(2);
        }
        JobResult result = client.await();

        assertEquals(N, WRITTEN.get(), "every record reached the sink");
        assertEquals(N * (N + 1) / 2, SUM.get(), "the sink saw each of 1.." + N + " once (sum check)");
        assertEquals(N, result.operator("Numbers").recordsOut());
        assertEquals(N, result.operator("Slow").recordsIn());
        assertEquals(1, result.channels().size(), result.channels().toString());
        for (ChannelMetrics c : result.channels()) {
            assertEquals(channels, c.channels(), c.toString());
            assertEquals(CAPACITY, c.capacityBatches(), c.toString());
            assertTrue(c.maxOccupiedBatches() <= c.capacityBatches(), c.toString());
            // the sink is far slower than the source, so the channels did fill up: backpressure really happened
            assertEquals(CAPACITY, c.maxOccupiedBatches(), c.toString());
        }
        assertTrue(samples > 10, "the job was sampled while it ran: " + samples + " samples, max in flight " + maxInFlight);
    }
}
