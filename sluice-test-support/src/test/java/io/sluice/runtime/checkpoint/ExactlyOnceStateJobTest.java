package io.sluice.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.functions.OutputTag;
import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.JobClient;
import io.sluice.api.graph.RestartStrategy;
import io.sluice.api.functions.Collector;
import io.sluice.api.functions.KeyedProcessFunction;
import io.sluice.api.functions.MapFunction;
import io.sluice.api.functions.RuntimeContext;
import io.sluice.api.graph.CheckpointConfig;
import io.sluice.api.sink.CollectSink;
import io.sluice.api.source.SequenceSource;
import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.Types;
import io.sluice.runtime.checkpoint.storage.FileSystemCheckpointStorage;
import io.sluice.testing.ExactlyOnceVerifier;
import io.sluice.testing.Tagged;
import io.sluice.testing.Tagging;
import io.sluice.testing.VerificationReport;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole jobs with checkpoints and injected failures: after every restart from the latest completed checkpoint, the
 * keyed state ends exactly as if no failure happened (each record counted once), compared with a plain-Java sum. The
 * records that feed the sums are checked one by one too: the summing function passes each on to a side output into the
 * {@link ExactlyOnceVerifier}'s ledger sink, which must have committed every source record exactly once (at least
 * once in at-least-once mode).
 *
 * <p>A runtime test, kept in this module because it uses the verifier of sluice-test-support, which depends on
 * sluice-runtime.
 */
public class ExactlyOnceStateJobTest {
    private static final int KEYS = 1_000;

    /** Per test run, the records that fail the job the first time they are seen (static: survives the restarts). */
    private static final Map<String, java.util.Set<Long>> FAIL_AT = new ConcurrentHashMap<>();

    /** Throws at each of its run's failure records once, so every failure happens whatever the checkpoint timing. */
    static final class InjectFailures implements MapFunction<Long, Long> {
        private final String run;

        InjectFailures(String run, long seed) {
            this.run = run;
        }

        @Override
        public Long map(Long value) {
            if (FAIL_AT.get(run).remove(value)) {
                throw new IllegalStateException("injected failure at record " + value);
            }
            return value;
        }
    }

    /** {@code count} distinct seeded records in 1..n at which to fail. */
    private static java.util.Set<Long> failurePoints(long seed, int count, long n) {
        Random random = new Random(seed);
        java.util.Set<Long> points = ConcurrentHashMap.newKeySet();
        while (points.size() < count) {
            points.add(1 + (long) (random.nextDouble() * (n - 1)));
        }
        return points;
    }

    /** The records the sums are made of, for the verifier. */
    static final OutputTag<Tagged<Long>> RECORDS = new OutputTag<>("records", Tagged.type(Types.LONG));

    /** Sums per key; emits "key=sum" once the input has ended, and passes every record on to {@link #RECORDS}. */
    static final class SumPerKey implements KeyedProcessFunction<Long, Tagged<Long>, String> {
        private transient ValueState<Long> sum;

        @Override
        public void open(RuntimeContext context) {
            sum = context.getState(new ValueStateDescriptor<>("sum", Types.LONG, 0L));
        }

        @Override
        public void processElement(Tagged<Long> record, Context<Long> ctx, Collector<String> out) {
            if (sum.value() == 0L) {
                ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
            }
            sum.update(sum.value() + record.value());
            ctx.output(RECORDS, record);
        }

        @Override
        public void onTimer(long time, OnTimerContext<Long> ctx, Collector<String> out) {
            out.collect(ctx.currentKey() + "=" + sum.value());
        }
    }

    private static Map<Long, Long> oracle(long n) {
        Map<Long, Long> sums = new TreeMap<>();
        for (long v = 1; v <= n; v++) {
            sums.merge(v % KEYS, v, Long::sum);
        }
        return sums;
    }

    private static Map<Long, Long> parse(Iterable<String> lines) {
        Map<Long, Long> sums = new TreeMap<>();
        for (String line : lines) {
            String[] kv = line.split("=");
            Long previous = sums.put(Long.parseLong(kv[0]), Long.parseLong(kv[1]));
            assertEquals(null, previous, "key emitted twice: " + line);
        }
        return sums;
    }

    /** The job, its records verified with the ledger in {@code ledger} (continued by a resumed job). */
    private static StreamEnvironment job(String run, long n, double rate, int parallelism, CheckpointConfig checkpoints,
            CollectSink<String> sink, long seed, Path ledger) throws IOException {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(parallelism)
                .enableCheckpointing(checkpoints)
                .setRestartStrategy(RestartStrategy.fixedDelay(100, Duration.ofMillis(20)));
        ExactlyOnceVerifier verifier = ExactlyOnceVerifier.open(ledger);
        var sums = verifier.fromSource(env, new SequenceSource(1, n, rate), "numbers").uid("numbers")
                .map(Tagging.map(new InjectFailures(run, seed)), Tagged.type(Types.LONG)).uid("inject")
                .keyBy(t -> t.value() % KEYS, Types.LONG)
                .process(new SumPerKey(), Types.STRING).uid("sum");
        sums.sinkTo(sink).uid("collect");
        sums.getSideOutput(RECORDS).sinkTo(verifier.ledgerSink()).uid("verify");
        return env;
    }

    /** What the verifier found in the ledger in {@code ledger}, having checked it expected the {@code n} records. */
    private static VerificationReport verify(Path ledger, long n) throws IOException {
        VerificationReport report = ExactlyOnceVerifier.open(ledger).verify();
        System.out.println("ExactlyOnceStateJobTest: " + report);
        assertEquals(n, report.expectedRecords(), report.toString());
        return report;
    }

    @Test
    @Timeout(120)
    void stateIsExactlyOnceAcrossInjectedFailures(@TempDir Path dir) throws Exception {
        long seed = 7;
        long n = 400_000;
        FAIL_AT.put("eo", failurePoints(seed, 12, n));
        CollectSink<String> sink = new CollectSink<>();
        StreamEnvironment env = job("eo", n, 250_000, 2,
                CheckpointConfig.every(Duration.ofMillis(40)).withDirectory(dir.toString()), sink, seed, dir.resolve("ledger"));
        env.execute("exactly-once state");
        assertEquals(java.util.Set.of(), FAIL_AT.get("eo"), "every injected failure happened (seed " + seed + ")");
        assertEquals(oracle(n), parse(sink.results()), "seed " + seed);
        sink.clear();
        verify(dir.resolve("ledger"), n).assertExactlyOnce();
    }

    @Test
    @Timeout(120)
    void atLeastOnceLosesNothing(@TempDir Path dir) throws Exception {
        long n = 300_000;
        FAIL_AT.put("alo", failurePoints(11, 6, n));
        CollectSink<String> sink = new CollectSink<>();
        StreamEnvironment env = job("alo", n, 250_000, 2, CheckpointConfig.every(Duration.ofMillis(40))
                .withMode(CheckpointConfig.Mode.AT_LEAST_ONCE).withDirectory(dir.toString()), sink, 11, dir.resolve("ledger"));
        env.execute("at-least-once state");
        Map<Long, Long> expected = oracle(n);
        Map<Long, Long> actual = parse(sink.results());
        assertEquals(expected.keySet(), actual.keySet());
        for (Map.Entry<Long, Long> e : expected.entrySet()) {
            assertTrue(actual.get(e.getKey()) >= e.getValue(), "key " + e.getKey() + " lost records");
        }
        sink.clear();
        verify(dir.resolve("ledger"), n).assertNothingLost();
    }

    @Test
    @Timeout(120)
    void aRetainedCheckpointResumesAtAnotherParallelism(@TempDir Path dir) throws Exception {
        long n = 300_000;
        FAIL_AT.put("rescale", ConcurrentHashMap.newKeySet());
        CheckpointConfig checkpoints = CheckpointConfig.every(Duration.ofMillis(30)).withDirectory(dir.toString())
                .withRetainOnCancel(true);
        CollectSink<String> first = new CollectSink<>();
        Path ledger = dir.resolve("ledger");
        JobClient client = job("rescale", n, 150_000, 2, checkpoints, first, 3, ledger).executeAsync("first run");
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(dir);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (storage.completedCheckpointIds().size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        client.cancel();
        try {
            client.await();
        } catch (io.sluice.api.execution.JobExecutionException expected) {
            // cancelled
        }
        OptionalLong latest = storage.latestCompletedId();
        assertTrue(latest.isPresent(), "no checkpoint completed before the cancel");
        CollectSink<String> second = new CollectSink<>();
        StreamEnvironment resumed = job("rescale", n, 0, 3, checkpoints.withRetainOnCancel(false), second, 3, ledger);
        resumed.restoreFrom(storage.checkpointDirectory(latest.getAsLong()).toString());
        resumed.execute("resumed at parallelism 3");
        assertEquals(oracle(n), parse(second.results()));
        first.clear();
        second.clear();
        verify(ledger, n).assertExactlyOnce(); // the cancelled run's commits and the resumed run's together
    }
}
