package io.sluice.runtime.window;

import static io.sluice.runtime.window.WindowRandomOperatorTest.assertSameMultiset;
import static java.time.Duration.ofMillis;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.api.DataStream;
import io.sluice.api.functions.OutputTag;
import io.sluice.api.StreamEnvironment;
import io.sluice.api.WindowedStream;
import io.sluice.api.eventtime.WatermarkStrategy;
import io.sluice.api.execution.JobResult;
import io.sluice.api.functions.AggregateFunction;
import io.sluice.api.graph.JobConfig;
import io.sluice.api.sink.CollectSink;
import io.sluice.api.source.CollectionSource;
import io.sluice.api.types.Types;
import io.sluice.api.windowing.ProcessWindowFunction;
import io.sluice.api.windowing.TimeWindow;
import io.sluice.api.windowing.WindowAssigner;
import io.sluice.api.windowing.assigners.EventTimeSessionWindows;
import io.sluice.api.windowing.assigners.SlidingEventTimeWindows;
import io.sluice.api.windowing.assigners.TumblingEventTimeWindows;
import io.sluice.api.windowing.evictors.CountEvictor;
import io.sluice.runtime.cluster.LocalExecutor;
import io.sluice.runtime.config.EngineConfig;
import io.sluice.runtime.window.WindowOracle.In;
import io.sluice.runtime.window.WindowOracle.Spec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whole jobs on the local cluster: a seeded random out-of-order stream (within the watermark bound), event-time
 * watermarks from a {@link WatermarkStrategy}, a keyBy and windows of each kind at parallelism 1 to 4, compared with
 * {@link WindowOracle}. Seed s runs kind s mod 3 at parallelism 1 + (s / 3) mod 4, so 12 seeds cover every pair.
 */
public class WindowRandomJobTest {
    static final OutputTag<Ev> LATE = new OutputTag<>("late", Types.of(Ev.class));

    /** A record with its event time. */
    record Ev(String key, long value, long ts) {}

    static LongStream seeds() {
        return LongStream.rangeClosed(0, Long.getLong("sluice.test.jobSeeds", 24) - 1);
    }

    static final ProcessWindowFunction<Ev, String, String, TimeWindow> TOTAL = (key, ctx, elements, out) -> {
        long total = 0;
        for (Ev e : elements) {
            total += e.value();
        }
        out.collect(WindowOracle.line(key, ctx.window().start(), ctx.window().end(), total));
    };

    static final ProcessWindowFunction<Long, String, String, TimeWindow> FORMAT = (key, ctx, totals, out) ->
            totals.forEach(t -> out.collect(WindowOracle.line(key, ctx.window().start(), ctx.window().end(), t)));

    static final class Total implements AggregateFunction<Ev, Long, Long> {
        @Override
        public Long createAccumulator() {
            return 0L;
        }

        @Override
        public Long add(Ev value, Long acc) {
            return acc + value.value();
        }

        @Override
        public Long getResult(Long acc) {
            return acc;
        }

        @Override
        public Long merge(Long a, Long b) {
            return a + b;
        }
    }

    /**
     * A seed's windowed job, defined on {@code env} with its results into {@code sink} and its late records (none:
     * no record is late) into {@code lateSink}: the oracle's results, and a description for failure messages.
     */
    public record Windowed(List<String> expected, String setup) {}

    /**
     * Defines seed {@code seed}'s windowed job on {@code env} (the same job wherever it runs); with {@code ownEngine}
     * it runs on an embedded cluster with a random batch size, without it the same random choice is drawn and ignored.
     */
    public static Windowed define(long seed, StreamEnvironment env, io.sluice.api.sink.Sink<String> sink,
            io.sluice.api.sink.Sink<?> lateSink, boolean ownEngine) {
        Random random = new Random(seed * 0x9E3779B97F4A7C15L + 17);
        int parallelism = 1 + (int) (seed / 3) % 4;
        Spec spec = switch ((int) (seed % 3)) {
            case 0 -> Spec.tumbling(1 + random.nextInt(50));
            case 1 -> {
                long slide = 1 + random.nextInt(20);
                yield Spec.sliding(slide * (1 + random.nextInt(4)) + random.nextInt((int) slide), slide);
            }
            default -> Spec.session(1 + random.nextInt(20));
        };
        // Records at most bound - 1 behind the largest timestamp so far; watermark = largest - bound - 1. So no record
        // is late, and none arrives exactly at watermark + 1 (where it could touch a session that just fired).
        long bound = 1 + random.nextInt(30);
        List<Ev> records = new ArrayList<>();
        List<In> oracleInput = new ArrayList<>();
        long now = random.nextInt(1000) - 500;
        int n = 500 + random.nextInt(3000);
        int keys = 1 + random.nextInt(20);
        for (int i = 0; i < n; i++) {
            now += random.nextInt(5);
            long ts = now - random.nextLong(bound);
            Ev e = new Ev("k" + random.nextInt(keys), (1L << 32) + random.nextInt(1000), ts);
            records.add(e);
            oracleInput.add(new In(e.key(), e.value(), e.ts()));
        }
        int function = random.nextInt(4);
        boolean perSplit = random.nextBoolean();
        String setup = "seed " + seed + ": " + spec + " p=" + parallelism + " bound " + bound + " function " + function
                + (perSplit ? " watermarks per split" : " watermarks after the source") + ", " + n + " records, " + keys + " keys";

        env.setParallelism(parallelism);
        int batch = 1 + random.nextInt(64);
        if (ownEngine) {
            env.setExecutor(new LocalExecutor(EngineConfig.defaults().withBatchSize(batch)));
        }
        env.setConfig(env.getConfig().withAutoWatermarkIntervalMillis(1));
        WatermarkStrategy<Ev> strategy = WatermarkStrategy.<Ev>forBoundedOutOfOrderness(ofMillis(bound))
                .withTimestampAssigner((e, previous) -> e.ts());
        DataStream<Ev> input = perSplit
                ? env.fromSource(new CollectionSource<>(records, Types.of(Ev.class)), strategy, "Events")
                : env.fromCollection(records, Types.of(Ev.class)).assignTimestampsAndWatermarks(strategy);
        WindowAssigner<Object, TimeWindow> assigner = switch (spec.kind()) {
            case TUMBLING -> TumblingEventTimeWindows.of(ofMillis(spec.size()));
            case SLIDING -> SlidingEventTimeWindows.of(ofMillis(spec.size()), ofMillis(spec.slide()));
            case SESSION -> EventTimeSessionWindows.withGap(ofMillis(spec.gap()));
        };
        WindowedStream<Ev, String, TimeWindow> windowed = input.keyBy(Ev::key, Types.STRING).window(assigner)
                .sideOutputLateData(LATE);
        DataStream<String> results = switch (function) {
            case 0 -> windowed.reduce((a, b) -> new Ev(a.key(), a.value() + b.value(), Math.max(a.ts(), b.ts())),
                    (key, ctx, reduced, out) -> reduced.forEach(r -> out.collect(
                            WindowOracle.line(key, ctx.window().start(), ctx.window().end(), r.value()))), Types.STRING);
            case 1 -> windowed.aggregate(new Total(), FORMAT, Types.STRING);
            case 2 -> windowed.process(TOTAL, Types.STRING);
            default -> windowed.evictor(CountEvictor.of(Long.MAX_VALUE)).process(TOTAL, Types.STRING);
        };
        results.name("Windows").sinkTo(sink);
        @SuppressWarnings("unchecked") // a late record is written as it is (toString by a text sink)
        io.sluice.api.sink.Sink<Ev> late = (io.sluice.api.sink.Sink<Ev>) lateSink;
        results.getSideOutput(LATE).sinkTo(late).setParallelism(1);
        return new Windowed(WindowOracle.complete(oracleInput, spec), setup);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void windowedJobsMatchTheOracle(long seed) throws Exception {
        StreamEnvironment env = StreamEnvironment.create();
        CollectSink<String> sink = new CollectSink<>();
        CollectSink<Ev> lateSink = new CollectSink<>();
        Windowed job = define(seed, env, sink, lateSink, true);
        String setup = job.setup();
        JobResult result;
        try {
            result = env.execute("windows-" + seed);
            List<String> expected = job.expected();
            assertSameMultiset(expected, sink.results(), setup);
            assertEquals(List.of(), lateSink.results(), setup + ": late records");
            assertEquals(expected.size(), result.operator("Windows").recordsOut(), setup + ": records out of the windows");
        } finally {
            sink.clear();
            lateSink.clear();
        }
    }
}
