package io.sluice.runtime.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.eventtime.WatermarkGenerator;
import io.sluice.api.eventtime.WatermarkGeneratorSupplier;
import io.sluice.api.eventtime.WatermarkOutput;
import io.sluice.api.eventtime.WatermarkStrategy;
import io.sluice.api.execution.JobClient;
import io.sluice.api.execution.JobExecutionException;
import io.sluice.api.functions.Collector;
import io.sluice.api.functions.KeyedProcessFunction;
import io.sluice.api.functions.ProcessFunction;
import io.sluice.api.functions.RuntimeContext;
import io.sluice.api.graph.JobConfig;
import io.sluice.api.sink.CollectSink;
import io.sluice.api.types.Types;
import io.sluice.runtime.job.ScriptedSource.Event;
import io.sluice.runtime.job.ScriptedSource.Script;
import io.sluice.runtime.job.ScriptedSource.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Event time on the real runtime: per-split watermarks at sources, idleness un-stalling (and, without it, holding back)
 * downstream timers, watermarks that never go back across idle and returning inputs, assignTimestampsAndWatermarks.
 * Watermarks are observed where users see them: {@code currentWatermark()} and event-time timers.
 */
@Timeout(120)
class EventTimeJobTest {

    /** What functions observed, per test run (functions are copies, so they report through this). */
    private static final Map<String, Queue<Object>> SEEN = new ConcurrentHashMap<>();

    private final String run = UUID.randomUUID().toString();

    @AfterEach
    void forget() {
        SEEN.remove(run);
    }

    private static void report(String run, Object what) {
        SEEN.computeIfAbsent(run, k -> new ConcurrentLinkedQueue<>()).add(what);
    }

    private List<Object> seen() {
        return new ArrayList<>(SEEN.getOrDefault(run, new ConcurrentLinkedQueue<>()));
    }

    /** Waits until what was seen satisfies {@code done}; a generous bound only turns a hang into a failure. */
    private List<Object> awaitSeen(Predicate<List<Object>> done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<Object> now = seen();
            if (done.test(now)) {
                return now;
            }
            Thread.sleep(5);
        }
        return fail("never happened: " + what + "; seen " + seen());
    }

    private static void cancelAndWait(JobClient client) {
        client.cancel();
        assertThrows(JobExecutionException.class, client::await);
    }

    /** Punctuated: after each record, the watermark is its timestamp minus 1. */
    static final class EveryRecord implements WatermarkGeneratorSupplier<Event> {
        @Override
        public WatermarkGenerator<Event> createWatermarkGenerator() {
            return new WatermarkGenerator<>() {
                @Override
                public void onEvent(Event event, long timestamp, WatermarkOutput output) {
                    output.emitWatermark(timestamp - 1);
                }

                @Override
                public void onPeriodicEmit(WatermarkOutput output) {}
            };
        }
    }

    private static List<Step> times(long from, long to, long step) {
        List<Step> steps = new ArrayList<>();
        for (long t = from; t <= to; t += step) {
            steps.add(Step.at(t));
        }
        return steps;
    }

    // ---- per-split watermarks ----

    record Seen(String split, long time, boolean late) {}

    /** Marks each record late if its timestamp is at or behind the watermark when it arrives. */
    static final class LatenessProbe implements ProcessFunction<Event, Seen> {
        @Override
        public void processElement(Event e, Context ctx, Collector<Seen> out) {
            out.collect(new Seen(e.split(), ctx.timestamp(), ctx.timestamp() <= ctx.currentWatermark()));
        }
    }

    /**
     * One reader holds a fast split (timestamps +100, 3 records a poll) and a slow one (+1, 1 a poll). With a
     * generator per split, the slow split holds the watermark back and no record is ever late. With one generator for
     * the reader (the reader reports no splits), every slow record behind the fast split's latest is late: the oracle
     * replays the reader's order in plain Java. The records cross a channel (source parallelism 1, probe 2).
     */
    @ParameterizedTest(name = "reportSplits={0}")
    @ValueSource(booleans = {true, false})
    void perSplitWatermarksKeepASlowSplitOnTime(boolean reportSplits) throws Exception {
        int n = 300;
        List<Script> scripts = List.of(Script.of("fast", 3, times(0, 100L * (n - 1), 100)), Script.of("slow", 1, times(0, n - 1, 1)));
        StreamEnvironment env = StreamEnvironment.create().setParallelism(2);
        CollectSink<Seen> sink = new CollectSink<>();
        env.fromSource(new ScriptedSource(scripts, reportSplits, false), WatermarkStrategy.forGenerator(new EveryRecord()), "Splits")
                .setParallelism(1)
                .rebalance()
                .process(new LatenessProbe(), Types.of(Seen.class)).name("Probe")
                .sinkTo(sink).name("Out");
        env.execute("per-split");
        List<Seen> got = sink.results();
        sink.clear();

        // the reader's order: per poll, 3 fast then 1 slow, until both are done
        List<Seen> expected = new ArrayList<>();
        long max = Long.MIN_VALUE;
        int fast = 0;
        int slow = 0;
        while (fast < n || slow < n) {
            for (int k = 0; k < 3 && fast < n; k++, fast++) {
                long t = 100L * fast;
                expected.add(new Seen("fast", t, !reportSplits && max != Long.MIN_VALUE && t <= max - 1));
                max = Math.max(max, t);
            }
            if (slow < n) {
                long t = slow++;
                expected.add(new Seen("slow", t, !reportSplits && max != Long.MIN_VALUE && t <= max - 1));
                max = Math.max(max, t);
            }
        }
        Multisets.assertSameMultiset(expected, got, "reportSplits=" + reportSplits);
        long late = got.stream().filter(Seen::late).count();
        if (reportSplits) {
            assertEquals(0, late, "per-split watermarks: nothing is late");
        } else {
            assertTrue(late > n / 2, "one generator for both splits makes the slow one late: " + late);
        }
    }

    // ---- idleness ----

    /** Registers a timer at each record's time; reports fired timers, and the watermark when a marker arrives. */
    static final class TimerProbe implements KeyedProcessFunction<Long, Event, String> {
        private final String run;
        private int fired;

        TimerProbe(String run) {
            this.run = run;
        }

        @Override
        public void processElement(Event e, Context<Long> ctx, Collector<String> out) {
            if (e.tag().equals("marker")) {
                report(run, new Marker(ctx.timerService().currentWatermark(), fired));
            } else {
                ctx.timerService().registerEventTimeTimer(e.time());
            }
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext<Long> ctx, Collector<String> out) {
            fired++;
            report(run, timestamp);
        }
    }

    record Marker(long watermark, int timersFired) {}

    private JobClient startTimerJob(List<Script> scripts, WatermarkStrategy<Event> strategy) throws Exception {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(2)
                .setConfig(JobConfig.defaults().withAutoWatermarkIntervalMillis(10));
        env.fromSource(new ScriptedSource(scripts, true, true), strategy, "Events")
                .keyBy(e -> e.time() % 5, Types.LONG)
                .process(new TimerProbe(run), Types.STRING).name("Timers").setParallelism(1)
                .sinkTo(new CollectSink<>()).name("Out").setParallelism(1);
        return env.executeAsync("event-time timers");
    }

    private static Set<Long> range(long from, long to) {
        Set<Long> s = new TreeSet<>();
        for (long t = from; t <= to; t++) {
            s.add(t);
        }
        return s;
    }

    private static Set<Long> firedTimers(List<Object> seen) {
        Set<Long> fired = new TreeSet<>();
        for (Object o : seen) {
            if (o instanceof Long t && !fired.add(t)) {
                fail("timer " + t + " fired twice");
            }
        }
        return fired;
    }

    /**
     * Two source subtasks; subtask 1's split never sends anything. With an idleness timeout it stops holding the
     * watermark back, so the keyed function's timers fire up to the busy split's watermark (its last time - 1) while
     * the job still runs. The job never ends by itself; it is cancelled once the timers fired.
     */
    @Test
    void anIdleSourceSubtaskStopsHoldingBackDownstreamTimers() throws Exception {
        int n = 200;
        List<Script> scripts = List.of(Script.of("busy", 10, times(1, n, 1)), Script.of("quiet", 1, List.of()));
        JobClient client = startTimerJob(scripts,
                WatermarkStrategy.forGenerator(new EveryRecord()).withIdleness(Duration.ofMillis(100)));
        awaitSeen(s -> firedTimers(s).size() >= n - 1, (n - 1) + " timers");
        cancelAndWait(client);
        assertEquals(range(1, n - 1), firedTimers(seen()), "every timer up to the watermark " + (n - 1) + ", none after");
    }

    /**
     * The same without an idleness timeout: the quiet split holds the watermark at its start. A marker sent after the
     * busy split's last watermark shows, when it arrives, that the watermark has not moved and no timer fired (the
     * busy split's watermark reached the function before the marker: a channel keeps order).
     */
    @Test
    void withoutIdlenessAQuietSplitHoldsTheWatermarkBack() throws Exception {
        int n = 200;
        List<Step> busy = new ArrayList<>(times(1, n, 1));
        busy.add(new Step(n + 1, "marker", 0));
        List<Script> scripts = List.of(Script.of("busy", 10, busy), Script.of("quiet", 1, List.of()));
        JobClient client = startTimerJob(scripts, WatermarkStrategy.forGenerator(new EveryRecord()));
        List<Object> seen = awaitSeen(s -> s.stream().anyMatch(o -> o instanceof Marker), "the marker");
        cancelAndWait(client);
        Marker marker = (Marker) seen.stream().filter(o -> o instanceof Marker).findFirst().orElseThrow();
        assertEquals(new Marker(Long.MIN_VALUE, 0), marker);
    }

    /** A source subtask that was given no split is idle from the start: no timeout needed. */
    @Test
    void aSourceSubtaskWithoutSplitsIsIdleFromTheStart() throws Exception {
        int n = 100;
        JobClient client = startTimerJob(List.of(Script.of("only", 7, times(1, n, 1))),
                WatermarkStrategy.forGenerator(new EveryRecord()));
        awaitSeen(s -> firedTimers(s).size() >= n - 1, (n - 1) + " timers");
        cancelAndWait(client);
        assertEquals(range(1, n - 1), firedTimers(seen()));
    }

    // ---- watermarks never go back ----

    record Obs(int subtask, boolean timer, long time, long watermark) {}

    /** Reports the watermark at every record and timer, and every timer. */
    static final class WatermarkLog implements KeyedProcessFunction<Long, Event, String> {
        private final String run;
        private int subtask;

        WatermarkLog(String run) {
            this.run = run;
        }

        @Override
        public void open(RuntimeContext context) {
            subtask = context.subtaskIndex();
        }

        @Override
        public void processElement(Event e, Context<Long> ctx, Collector<String> out) {
            report(run, new Obs(subtask, false, e.time(), ctx.timerService().currentWatermark()));
            ctx.timerService().registerEventTimeTimer(e.time());
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext<Long> ctx, Collector<String> out) {
            report(run, new Obs(subtask, true, timestamp, ctx.timerService().currentWatermark()));
        }
    }

    /**
     * Five splits on three source subtasks advance at random speeds and pause at random (longer than the idleness
     * timeout), so subtasks go idle and come back behind the others, through keyed channels into two subtasks. The
     * watermark each subtask's function sees never goes back, every timer fires once, at or after its time, and every
     * key's timers all fire by the end.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {5, 2718})
    void watermarksNeverGoBackAcrossIdleAndReturningInputs(long seed) throws Exception {
        Random random = new Random(seed);
        List<Script> scripts = new ArrayList<>();
        for (int s = 0; s < 5; s++) {
            List<Step> steps = new ArrayList<>();
            long t = random.nextInt(100);
            int speed = 1 + random.nextInt(20);
            for (int i = 0; i < 150; i++) {
                t += random.nextInt(speed + 1);
                long pause = random.nextInt(40) == 0 ? 20 + random.nextInt(40) : 0;
                steps.add(new Step(t - random.nextInt(4), "", pause)); // a little out of order, within the bound
            }
            scripts.add(Script.of("s" + s, 1 + random.nextInt(5), steps));
        }
        StreamEnvironment env = StreamEnvironment.create().setParallelism(3)
                .setConfig(JobConfig.defaults().withAutoWatermarkIntervalMillis(2));
        env.fromSource(new ScriptedSource(scripts, true, false),
                        WatermarkStrategy.<Event>forBoundedOutOfOrderness(Duration.ofMillis(5)).withIdleness(Duration.ofMillis(10)),
                        "Random")
                .keyBy(e -> e.time() % 7, Types.LONG)
                .process(new WatermarkLog(run), Types.STRING).name("Log").setParallelism(2)
                .sinkTo(new CollectSink<>()).name("Out").setParallelism(2);
        env.execute("never back");

        Map<Integer, Long> last = new HashMap<>();
        Map<Long, Integer> registered = new HashMap<>();
        Map<Long, Integer> fired = new HashMap<>();
        int middle = 0;
        for (Object o : seen()) {
            Obs obs = (Obs) o;
            String context = "seed " + seed + ": " + obs;
            long before = last.getOrDefault(obs.subtask(), Long.MIN_VALUE);
            assertTrue(obs.watermark() >= before, context + " after watermark " + before);
            last.put(obs.subtask(), obs.watermark());
            if (obs.timer()) {
                assertTrue(obs.time() <= obs.watermark(), context + ": a timer fired before its time");
                fired.merge(obs.time(), 1, Integer::sum);
            } else {
                registered.merge(obs.time(), 1, Integer::sum);
            }
            if (obs.watermark() > Long.MIN_VALUE && obs.watermark() < Long.MAX_VALUE) {
                middle++;
            }
        }
        // a timer is per key and time, and keys are time % 7: one timer per distinct time, unless a record for a time
        // whose timer already fired (a late one) registers it again
        assertEquals(new TreeSet<>(registered.keySet()), new TreeSet<>(fired.keySet()), "seed " + seed + ": every timer fires");
        for (var e : fired.entrySet()) {
            assertTrue(e.getValue() <= registered.get(e.getKey()),
                    "seed " + seed + ": timer " + e.getKey() + " fired more often than it was registered");
        }
        assertTrue(middle > 0, "seed " + seed + ": no watermark between the start and the end was ever seen");
    }

    // ---- assignTimestampsAndWatermarks ----

    record Stamp(long value, long timestamp, boolean late) {}

    /** A timer at each record's timestamp; emits the timer's time when it fires, failing if it fires early. */
    static final class TimerAtTimestamp implements KeyedProcessFunction<Long, Long, Long> {
        @Override
        public void processElement(Long v, Context<Long> ctx, Collector<Long> out) {
            ctx.timerService().registerEventTimeTimer(ctx.timestamp());
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext<Long> ctx, Collector<Long> out) {
            if (timestamp > ctx.timerService().currentWatermark()) {
                throw new AssertionError("timer " + timestamp + " before the watermark reached it");
            }
            out.collect(timestamp);
        }
    }

    /**
     * A sequence without timestamps gets them from assignTimestampsAndWatermarks (chained after the source, one
     * generator per subtask): the next function sees the assigned timestamps and nothing late (each subtask's input is
     * ascending); timers downstream fire at or after their time, each once, all by the end.
     */
    @Test
    void assignTimestampsAndWatermarksStampsRecordsAndDrivesTimers() throws Exception {
        long n = 3_000;
        StreamEnvironment env = StreamEnvironment.create().setParallelism(2)
                .setConfig(JobConfig.defaults().withAutoWatermarkIntervalMillis(5));
        CollectSink<Stamp> stamps = new CollectSink<>();
        CollectSink<Long> timers = new CollectSink<>();
        var stamped = env.generateSequence(1, n)
                .assignTimestampsAndWatermarks(WatermarkStrategy.<Long>forMonotonousTimestamps().withTimestampAssigner((v, ts) -> v * 10));
        stamped.process((Long v, ProcessFunction.Context ctx, Collector<Stamp> out) ->
                        out.collect(new Stamp(v, ctx.timestamp(), ctx.timestamp() <= ctx.currentWatermark())), Types.of(Stamp.class))
                .name("Check").sinkTo(stamps).name("Stamps");
        stamped.keyBy(v -> v % 3, Types.LONG)
                .process(new TimerAtTimestamp(), Types.LONG).name("Timers")
                .sinkTo(timers).name("Fired");
        env.execute("assign timestamps");
        List<Stamp> expected = new ArrayList<>();
        List<Long> expectedTimers = new ArrayList<>();
        for (long v = 1; v <= n; v++) {
            expected.add(new Stamp(v, v * 10, false));
            expectedTimers.add(v * 10);
        }
        Multisets.assertSameMultiset(expected, stamps.results(), "stamped records");
        Multisets.assertSameMultiset(expectedTimers, timers.results(), "fired timers");
        stamps.clear();
        timers.clear();
    }

    /**
     * Periodic emission reaches downstream while a (rate-limited) job runs, not only at the end; what a function sees
     * never goes back and never passes a record of an ascending stream.
     */
    @Test
    void periodicWatermarksArriveWhileTheJobRuns() throws Exception {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(1)
                .setConfig(JobConfig.defaults().withAutoWatermarkIntervalMillis(10));
        CollectSink<Stamp> sink = new CollectSink<>();
        env.fromSource(new io.sluice.api.source.SequenceSource(1, 600, 1_500),
                        WatermarkStrategy.<Long>forMonotonousTimestamps().withTimestampAssigner((v, ts) -> v), "Slow")
                .rebalance()
                .process((Long v, ProcessFunction.Context ctx, Collector<Stamp> out) ->
                        out.collect(new Stamp(v, ctx.currentWatermark(), ctx.timestamp() <= ctx.currentWatermark())), Types.of(Stamp.class))
                .setParallelism(2)
                .sinkTo(sink).setParallelism(2);
        env.execute("periodic");
        List<Stamp> got = sink.results();
        sink.clear();
        assertEquals(600, got.size());
        Set<Long> watermarks = new HashSet<>();
        for (Stamp s : got) {
            assertTrue(!s.late(), "record " + s.value() + " behind the watermark " + s.timestamp());
            watermarks.add(s.timestamp());
        }
        assertTrue(watermarks.stream().anyMatch(w -> w > Long.MIN_VALUE && w < 600),
                "no periodic watermark reached the function during the run: " + watermarks);
    }
}
