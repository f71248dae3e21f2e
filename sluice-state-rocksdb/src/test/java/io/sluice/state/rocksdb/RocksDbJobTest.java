package io.sluice.state.rocksdb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.api.functions.OutputTag;
import io.sluice.api.StreamEnvironment;
import io.sluice.api.graph.RestartStrategy;
import io.sluice.api.functions.Collector;
import io.sluice.api.functions.KeyedProcessFunction;
import io.sluice.api.functions.MapFunction;
import io.sluice.api.functions.RuntimeContext;
import io.sluice.api.graph.CheckpointConfig;
import io.sluice.api.sink.CollectSink;
import io.sluice.api.state.MapState;
import io.sluice.api.state.MapStateDescriptor;
import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.source.SequenceSource;
import io.sluice.api.types.Types;
import io.sluice.testing.ExactlyOnceVerifier;
import io.sluice.testing.Tagged;
import io.sluice.testing.Tagging;
import io.sluice.testing.VerificationReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Whole jobs on RocksDB state: exact keyed state across injected failures and checkpoint restores. */
class RocksDbJobTest {
    private static final int KEYS = 2_000;
    /** Records that fail the job the first time they are seen (static: survives the restarts). */
    private static final java.util.Set<Long> FAIL_AT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Throws at each record of {@link #FAIL_AT} once: every failure happens, whatever the checkpoint timing. */
    static final class InjectFailures implements MapFunction<Long, Long> {
        @Override
        public Long map(Long v) {
            if (FAIL_AT.remove(v)) {
                throw new IllegalStateException("injected failure at " + v);
            }
            return v;
        }
    }

    /** Counts opened function instances (subtasks × attempts), so a result line tells which instance made it. */
    private static final java.util.concurrent.atomic.AtomicInteger OPENED = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * Sum per key in value state, count per residue in map state; emits both at the end as
     * {@code key=sum/count@instance}, the instance being the {@link #OPENED} number of the function that emitted it.
     */
    static final class SumAndCount implements KeyedProcessFunction<Long, Long, String> {
        private transient ValueState<Long> sum;
        private transient MapState<Long, Long> byResidue;
        private transient int instance;

        @Override
        public void open(RuntimeContext context) {
            instance = OPENED.incrementAndGet();
            sum = context.getState(new ValueStateDescriptor<>("sum", Types.LONG, 0L));
            byResidue = context.getState(new MapStateDescriptor<>("residues", Types.LONG, Types.LONG));
        }

        @Override
        public void processElement(Long v, Context<Long> ctx, Collector<String> out) {
            if (sum.value() == 0L) {
                ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
            }
            sum.update(sum.value() + v);
            Long c = byResidue.get(v % 3);
            byResidue.put(v % 3, c == null ? 1 : c + 1);
        }

        @Override
        public void onTimer(long t, OnTimerContext<Long> ctx, Collector<String> out) {
            long count = 0;
            for (Long c : byResidue.values()) {
                count += c;
            }
            out.collect(ctx.currentKey() + "=" + sum.value() + "/" + count + "@" + instance);
        }
    }

    /** The records the sums are made of, for the verifier's ledger. */
    static final OutputTag<Tagged<Long>> RECORDS = new OutputTag<>("records", Tagged.type(Types.LONG));

    /** {@link SumAndCount} over tagged records, passing each record, once counted, on to {@link #RECORDS}. */
    static final class VerifiedSumAndCount implements KeyedProcessFunction<Long, Tagged<Long>, String> {
        private final SumAndCount sums = new SumAndCount();

        @Override
        public void open(RuntimeContext context) {
            sums.open(context);
        }

        @Override
        public void processElement(Tagged<Long> record, Context<Long> ctx, Collector<String> out) {
            sums.processElement(record.value(), ctx, out);
            ctx.output(RECORDS, record);
        }

        @Override
        public void onTimer(long t, OnTimerContext<Long> ctx, Collector<String> out) {
            sums.onTimer(t, ctx, out);
        }
    }

    @Test
    @Timeout(120)
    void keyedStateOnRocksDbIsExactlyOnceAcrossFailures(@TempDir Path dir) throws Exception {
        runWithFailures(dir, false);
    }

    /** The same with incremental checkpoints (shared SST files), retaining only 2 of them. */
    @Test
    @Timeout(120)
    void incrementalCheckpointsRetainingTwoAreExactlyOnceAcrossFailures(@TempDir Path dir) throws Exception {
        runWithFailures(dir, true);
    }

    private void runWithFailures(Path dir, boolean incremental) throws Exception {
        long n = 200_000;
        OPENED.set(0);
        FAIL_AT.addAll(java.util.List.of(40_000L, 80_001L, 120_002L, 160_003L));
        CollectSink<String> sink = new CollectSink<>();
        StreamEnvironment env = StreamEnvironment.create().setParallelism(2).setStateBackend("rocksdb")
                .setStateBackendOption("rocksdb.incremental", Boolean.toString(incremental))
                .setStateBackendOption("rocksdb.local-dir", dir.resolve("local").toString())
                .enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(50)).withDirectory(dir.resolve("checkpoints").toString())
                        .withRetained(2))
                .setRestartStrategy(RestartStrategy.fixedDelay(10, Duration.ofMillis(10)));
        // Every source record is tagged (split, offset) and must reach the verifier's ledger exactly once: if the sums
        // are wrong while that holds, the loss is in restored keyed state, not in replay or channels.
        Path ledger = dir.resolve("ledger");
        ExactlyOnceVerifier verifier = ExactlyOnceVerifier.open(ledger);
        var sums = verifier.fromSource(env, new SequenceSource(1, n, 200_000), "numbers").uid("numbers")
                .map(Tagging.map(new InjectFailures()), Tagged.type(Types.LONG)).uid("inject")
                .keyBy(t -> t.value() % KEYS, Types.LONG)
                .process(new VerifiedSumAndCount(), Types.STRING).uid("sum");
        sums.sinkTo(sink).uid("collect");
        sums.getSideOutput(RECORDS).sinkTo(verifier.ledgerSink()).uid("verify");
        env.execute("rocksdb state");
        VerificationReport report = ExactlyOnceVerifier.open(ledger).verify();
        assertEquals(n, report.expectedRecords(), report.toString());
        report.assertExactlyOnce();
        Map<Long, String> expected = new TreeMap<>();
        Map<Long, long[]> acc = new TreeMap<>();
        for (long v = 1; v <= n; v++) {
            long[] a = acc.computeIfAbsent(v % KEYS, k -> new long[2]);
            a[0] += v;
            a[1]++;
        }
        acc.forEach((k, a) -> expected.put(k, k + "=" + a[0] + "/" + a[1]));
        Map<Long, List<String>> lines = new TreeMap<>();
        for (String line : sink.results()) {
            lines.computeIfAbsent(Long.parseLong(line.substring(0, line.indexOf('='))), k -> new ArrayList<>()).add(line);
        }
        assertEquals(java.util.Set.of(), FAIL_AT, "every failure was injected");
        Map<Long, List<String>> repeated = new TreeMap<>(lines);
        repeated.values().removeIf(l -> l.size() == 1);
        assertEquals(Map.of(), repeated, "keys emitted more than once (line@function instance)");
        Map<Long, String> actual = new TreeMap<>();
        lines.forEach((k, l) -> actual.put(k, l.get(0).substring(0, l.get(0).indexOf('@'))));
        if (!expected.equals(actual)) {
            List<String> wrong = new ArrayList<>();
            expected.forEach((k, e) -> {
                if (!e.equals(actual.get(k)) && wrong.size() < 20) {
                    wrong.add("expected " + e + ", got " + lines.get(k));
                }
            });
            // Which instance made the wrong lines tells the attempt and subtask; OPENED counts all of them.
            assertEquals(expected, actual, "first wrong keys (line@function instance, " + OPENED.get()
                    + " instances opened): " + wrong);
        }
        assertEquals(KEYS, sink.results().size(), "each key emitted once");
        sink.clear();
    }
}
