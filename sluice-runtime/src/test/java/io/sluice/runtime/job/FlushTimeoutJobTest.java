package io.sluice.runtime.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.functions.MapFunction;
import io.sluice.api.graph.JobConfig;
import io.sluice.api.sink.CollectSink;
import io.sluice.api.types.Types;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The job's flush timeout ({@link JobConfig#flushTimeoutMillis}): with 0 every record is sent downstream as it is
 * emitted, so a producer that will not go on until its previous record arrived downstream (it keeps its task busy, so
 * no idle flush helps it) never waits long; with a long timeout the same record stays in its partly filled batch. The
 * oracle is what the downstream task saw, record by record.
 */
@Timeout(60)
class FlushTimeoutJobTest {
    /** The records each test's downstream map saw last, by test name (tests may run in one JVM). */
    private static final Map<String, AtomicLong> SEEN = new ConcurrentHashMap<>();
    /** How many times each test's producer gave up waiting for its previous record. */
    private static final Map<String, AtomicLong> STALLS = new ConcurrentHashMap<>();

    @Test
    void aTimeoutOfZeroSendsEveryRecordAtOnce() throws Exception {
        List<Long> out = run("zero", Duration.ZERO, 200, 20_000);
        assertEquals(LongStream.rangeClosed(1, 200).boxed().toList(), out);
        assertEquals(0, STALLS.get("zero").get(), "no record waited in a batch");
    }

    @Test
    void aLongTimeoutKeepsARecordInItsBatch() throws Exception {
        // The control: without flushing at once, the producer's wait for record 1 runs out (bounded), every time.
        List<Long> out = run("long", Duration.ofHours(1), 20, 20);
        assertEquals(LongStream.rangeClosed(1, 20).boxed().toList(), out, "all delivered at the end");
        assertEquals(19, STALLS.get("long").get(), "each record after the first waited for a flush");
    }

    private static List<Long> run(String name, Duration flushTimeout, long records, long waitMillis) throws Exception {
        SEEN.put(name, new AtomicLong());
        STALLS.put(name, new AtomicLong());
        StreamEnvironment env = StreamEnvironment.create().setParallelism(1);
        env.setConfig(env.getConfig().withFlushTimeout(flushTimeout));
        CollectSink<Long> sink = new CollectSink<>();
        env.generateSequence(1, records).name("Numbers")
                .map(new WaitForPrevious(name, waitMillis), Types.LONG).name("Wait for the previous")
                .rebalance()
                .map((MapFunction<Long, Long>) v -> {
                    SEEN.get(name).accumulateAndGet(v, Math::max);
                    return v;
                }, Types.LONG).name("Seen").setParallelism(2) // in tasks of their own, behind a channel
                .sinkTo(sink).name("Out").setParallelism(1);
        env.execute("flush-" + name);
        List<Long> results = new java.util.ArrayList<>(sink.results());
        sink.clear();
        results.sort(null);
        return results;
    }

    /** Passes record v on once record v - 1 reached the downstream task, or once {@code waitMillis} ran out. */
    private record WaitForPrevious(String name, long waitMillis) implements MapFunction<Long, Long> {
        @Override
        public Long map(Long v) throws InterruptedException {
            long deadline = System.nanoTime() + waitMillis * 1_000_000;
            while (SEEN.get(name).get() < v - 1) {
                if (System.nanoTime() > deadline) {
                    STALLS.get(name).incrementAndGet();
                    break;
                }
                Thread.sleep(1);
            }
            return v;
        }
    }

    @Test
    void theTimeoutIsPartOfTheJobAndRefusesNegativeValues() {
        JobConfig config = JobConfig.defaults();
        assertEquals(JobConfig.ENGINE_FLUSH_TIMEOUT, config.flushTimeoutMillis(), "the engine's unless the job says");
        assertEquals(25, config.withFlushTimeout(Duration.ofMillis(25)).flushTimeoutMillis());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> config.withFlushTimeout(Duration.ofMillis(-5)));
        assertTrue(e.getMessage().contains("must not be negative"), e.getMessage());
    }
}
