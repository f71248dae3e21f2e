package io.sluice.runtime.window;

import static io.sluice.runtime.window.WindowHarness.spec;
import static io.sluice.runtime.window.WindowTestFunctions.SUM;
import static java.time.Duration.ofMillis;
import static org.junit.jupiter.api.Assertions.fail;

import io.sluice.api.DataStream;
import io.sluice.api.KeyedStream;
import io.sluice.api.functions.OutputTag;
import io.sluice.api.functions.AggregateFunction;
import io.sluice.api.graph.OperatorSpec;
import io.sluice.api.types.Types;
import io.sluice.api.windowing.ProcessWindowFunction;
import io.sluice.api.windowing.TimeWindow;
import io.sluice.api.windowing.WindowAssigner;
import io.sluice.api.windowing.assigners.EventTimeSessionWindows;
import io.sluice.api.windowing.assigners.SlidingEventTimeWindows;
import io.sluice.api.windowing.assigners.TumblingEventTimeWindows;
import io.sluice.api.windowing.evictors.CountEvictor;
import io.sluice.runtime.window.WindowHarness.E;
import io.sluice.runtime.window.WindowHarness.Rec;
import io.sluice.runtime.window.WindowOracle.In;
import io.sluice.runtime.window.WindowOracle.LatenessSimulation;
import io.sluice.runtime.window.WindowOracle.Spec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random streams through the window operator, compared with {@link WindowOracle}: every assigner kind, every
 * kind of window function (incremental, process, with an evictor), snapshot and restore at random points, and for
 * tumbling and sliding windows random lateness with records late by any amount. A failure prints the seed, the
 * setup and the first differences; re-running the seed reproduces it.
 */
class WindowRandomOperatorTest {
    static final OutputTag<E> LATE = new OutputTag<>("late", Types.of(E.class));
    /** Each record's value is {@code 2^32 + v}: a window's total then tells both its count and its sum. */
    static final long ONE = 1L << 32;

    static LongStream seeds() {
        return LongStream.rangeClosed(1, Long.getLong("sluice.test.seeds", 60));
    }

    static final ProcessWindowFunction<E, String, String, TimeWindow> TOTAL = (key, ctx, elements, out) -> {
        long total = 0;
        for (E e : elements) {
            total += e.value();
        }
        out.collect(WindowOracle.line(key, ctx.window().start(), ctx.window().end(), total));
    };

    static final ProcessWindowFunction<Long, String, String, TimeWindow> FORMAT_LONG = (key, ctx, totals, out) ->
            totals.forEach(t -> out.collect(WindowOracle.line(key, ctx.window().start(), ctx.window().end(), t)));

    static final ProcessWindowFunction<E, String, String, TimeWindow> FORMAT_E = (key, ctx, totals, out) ->
            totals.forEach(t -> out.collect(WindowOracle.line(key, ctx.window().start(), ctx.window().end(), t.value())));

    static final class Total implements AggregateFunction<E, Long, Long> {
        @Override
        public Long createAccumulator() {
            return 0L;
        }

        @Override
        public Long add(E value, Long acc) {
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

    /** The window function variants; {@code PLAIN_REDUCE} emits the bare reduced record (window from its timestamp). */
    enum Function { REDUCE, AGGREGATE, PROCESS, EVICTING, PLAIN_REDUCE }

    private static OperatorSpec.WindowSpec windowSpec(Spec s, Function f, long lateness) {
        WindowAssigner<Object, TimeWindow> assigner = switch (s.kind()) {
            case TUMBLING -> TumblingEventTimeWindows.of(ofMillis(s.size()));
            case SLIDING -> SlidingEventTimeWindows.of(ofMillis(s.size()), ofMillis(s.slide()));
            case SESSION -> EventTimeSessionWindows.withGap(ofMillis(s.gap()));
        };
        return spec((KeyedStream<String, E> k) -> {
            var w = k.window(assigner).allowedLateness(ofMillis(lateness)).sideOutputLateData(LATE);
            DataStream<?> out = switch (f) {
                case REDUCE -> w.reduce(SUM, FORMAT_E, Types.STRING);
                case AGGREGATE -> w.aggregate(new Total(), FORMAT_LONG, Types.LONG, Types.STRING);
                case PROCESS -> w.process(TOTAL, Types.STRING);
                case EVICTING -> w.evictor(CountEvictor.of(Long.MAX_VALUE)).process(TOTAL, Types.STRING);
                case PLAIN_REDUCE -> w.reduce(SUM);
            };
            return out;
        });
    }

    /** Output lines; a plain reduce's window start is unknown, so both sides drop starts then. */
    private static String normalize(Rec r, boolean withoutStart) {
        String line = r.value() instanceof E e
                ? WindowOracle.line(e.key(), 0, r.timestamp() + 1, e.value()) : (String) r.value();
        return withoutStart ? withoutStart(line) : line;
    }

    private static String withoutStart(String line) {
        String[] p = line.split("\\|");
        return p[0] + "|?|" + p[2] + "|" + p[3];
    }

    private static Spec randomSpec(Random random, boolean sessions) {
        int kind = random.nextInt(sessions ? 3 : 2);
        return switch (kind) {
            case 0 -> Spec.tumbling(1 + random.nextInt(20));
            case 1 -> {
                long slide = 1 + random.nextInt(8);
                yield Spec.sliding(slide * (1 + random.nextInt(4)) + random.nextInt((int) slide), slide);
            }
            default -> Spec.session(1 + random.nextInt(10));
        };
    }

    /** Runs the events (records and watermarks) through the operator, snapshotting and restoring at random points. */
    private static List<List<Rec>> run(OperatorSpec.WindowSpec spec, List<Object> events, Random random) throws Exception {
        WindowHarness h = new WindowHarness(spec, "late");
        List<Rec> out = new ArrayList<>();
        List<Rec> late = new ArrayList<>();
        long watermark = Long.MIN_VALUE;
        for (Object ev : events) {
            if (ev instanceof In r) {
                h.record(r.key(), r.value(), r.ts());
            } else {
                watermark = (Long) ev;
                h.watermark(watermark);
            }
            if (random.nextInt(50) == 0) {
                out.addAll(h.output());
                late.addAll(h.side("late"));
                h = h.snapshotAndRestore();
                // The watermark is not state: a restored operator starts at Long.MIN_VALUE, and records that were
                // late before would be on time until the next watermark. Upstream here re-sends its watermark.
                if (watermark != Long.MIN_VALUE) {
                    h.watermark(watermark);
                }
            }
        }
        h.watermark(Long.MAX_VALUE);
        out.addAll(h.output());
        late.addAll(h.side("late"));
        return List.of(out, late);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void inOrderWithinTheBoundEveryWindowFiresOnceWithAllItsRecords(long seed) throws Exception {
        Random random = new Random(seed * 0x9E3779B97F4A7C15L);
        Spec s = randomSpec(random, true);
        Function f = Function.values()[random.nextInt(Function.values().length)];
        long bound = 1 + random.nextInt(15);
        // Watermark = max seen - bound - 1 and records at most bound - 1 behind: a record is never at the watermark + 1,
        // where it could touch a session that has just fired (and start a new one, which the oracle would merge).
        long disorder = bound - 1;
        List<In> records = new ArrayList<>();
        List<Object> events = new ArrayList<>();
        long now = random.nextInt(100) - 50;
        long max = Long.MIN_VALUE;
        int n = random.nextInt(300);
        for (int i = 0; i < n; i++) {
            now += random.nextInt(4);
            long ts = now - (disorder == 0 ? 0 : random.nextLong(disorder + 1));
            In r = new In("k" + random.nextInt(4), ONE + random.nextInt(1000), ts);
            records.add(r);
            events.add(r);
            max = Math.max(max, ts);
            if (random.nextInt(5) == 0) {
                events.add(max - bound - 1);
            }
        }
        String setup = "seed " + seed + ": " + s + " " + f + " bound " + bound + ", " + n + " records";
        List<List<Rec>> result = run(windowSpec(s, f, 0), events, random);
        boolean noStart = f == Function.PLAIN_REDUCE;
        List<String> expected = WindowOracle.complete(records, s).stream().map(l -> noStart ? withoutStart(l) : l).toList();
        List<String> actual = result.get(0).stream().map(r -> normalize(r, noStart)).toList();
        assertSameMultiset(expected, actual, setup);
        assertSameMultiset(List.of(), result.get(1).stream().map(Object::toString).toList(), setup + " (late records)");
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void lateRecordsAndLateFiringsMatchASimulation(long seed) throws Exception {
        Random random = new Random(seed * 0xBF58476D1CE4E5B9L);
        Spec s = randomSpec(random, false);
        Function f = Function.values()[random.nextInt(Function.values().length)];
        long lateness = random.nextBoolean() ? 0 : random.nextInt(30);
        checkAgainstLatenessSimulation(seed, s, f, lateness, random);
    }

    /**
     * Sliding windows whose size is a multiple of the slide, with an aggregate and no lateness: the operator keeps
     * panes (one accumulator per slide) and merges them when a window fires. Same oracle as window-by-window.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void slidingPanesMatchTheSimulation(long seed) throws Exception {
        Random random = new Random(seed * 0x94D049BB133111EBL);
        long slide = 1 + random.nextInt(8);
        Spec s = Spec.sliding(slide * (1 + random.nextInt(5)), slide);
        checkAgainstLatenessSimulation(seed, s, Function.AGGREGATE, 0, random);
    }

    private void checkAgainstLatenessSimulation(long seed, Spec s, Function f, long lateness, Random random) throws Exception {
        long bound = random.nextInt(10);
        LatenessSimulation sim = new LatenessSimulation(s, lateness);
        List<Object> events = new ArrayList<>();
        long now = 0;
        long max = Long.MIN_VALUE;
        long wm = Long.MIN_VALUE;
        int n = random.nextInt(300);
        for (int i = 0; i < n; i++) {
            now += random.nextInt(4);
            long ts = random.nextInt(6) == 0 && wm != Long.MIN_VALUE
                    ? wm - random.nextInt((int) (2 * lateness + 3 * s.size() + 5)) // late by any amount
                    : now - (bound == 0 ? 0 : random.nextLong(bound + 1));
            In r = new In("k" + random.nextInt(3), ONE + random.nextInt(1000), ts);
            events.add(r);
            sim.record(r);
            max = Math.max(max, ts);
            if (random.nextInt(4) == 0 && max - bound - 1 > wm) {
                wm = max - bound - 1;
                events.add(wm);
                sim.watermark(wm);
            }
        }
        sim.watermark(Long.MAX_VALUE);
        String setup = "seed " + seed + ": " + s + " " + f + " lateness " + lateness + " bound " + bound + ", " + n + " records";
        List<List<Rec>> result = run(windowSpec(s, f, lateness), events, random);
        boolean noStart = f == Function.PLAIN_REDUCE;
        assertSameMultiset(sim.fired.stream().map(l -> noStart ? withoutStart(l) : l).toList(),
                result.get(0).stream().map(r -> normalize(r, noStart)).toList(), setup);
        assertSameMultiset(sim.late.stream().map(r -> r.key() + "|" + r.value() + "@" + r.ts()).toList(),
                result.get(1).stream().map(r -> ((E) r.value()).key() + "|" + ((E) r.value()).value() + "@" + r.timestamp()).toList(),
                setup + " (late records)");
    }

    static void assertSameMultiset(List<String> expected, List<String> actual, String setup) {
        Map<String, Integer> diff = new TreeMap<>();
        expected.forEach(x -> diff.merge(x, 1, Integer::sum));
        actual.forEach(x -> diff.merge(x, -1, Integer::sum));
        diff.values().removeIf(v -> v == 0);
        if (!diff.isEmpty()) {
            Map<String, Integer> firstFew = new HashMap<>();
            diff.entrySet().stream().limit(8).forEach(e -> firstFew.put(e.getKey(), e.getValue()));
            fail(setup + ": " + expected.size() + " expected, " + actual.size() + " actual; differences "
                    + "(+n: missing n times, -n: unexpected n times), e.g. " + new TreeMap<>(firstFew));
        }
    }
}
