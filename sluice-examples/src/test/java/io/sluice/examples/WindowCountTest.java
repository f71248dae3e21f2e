package io.sluice.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sluice.api.DataStream;
import io.sluice.api.StreamEnvironment;
import io.sluice.api.eventtime.WatermarkGenerator;
import io.sluice.api.eventtime.WatermarkOutput;
import io.sluice.api.eventtime.WatermarkStrategy;
import io.sluice.api.execution.JobExecutionException;
import io.sluice.api.execution.JobResult;
import io.sluice.api.sink.CollectSink;
import io.sluice.api.types.Types;
import io.sluice.api.windowing.assigners.TumblingEventTimeWindows;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The window count example against a brute-force count of windows written here, at parallelism 1, 2 and 4. */
class WindowCountTest {

    @TempDir
    Path tmp;

    /** A key and a timestamp, as in the input lines. */
    record Line(String key, long ts) {
        String text() {
            return key + "," + ts;
        }
    }

    /**
     * Seeded lines out of order by at most {@code bound - 1} ms: with watermarks {@code bound} behind, none is late
     * (and none arrives right after a session it would touch has fired).
     */
    static List<Line> randomLines(long seed, int count, long bound) {
        Random random = new Random(seed);
        List<Line> lines = new ArrayList<>();
        long now = 1_700_000_000_000L;
        for (int i = 0; i < count; i++) {
            now += random.nextInt(7);
            lines.add(new Line("user" + random.nextInt(30), now - random.nextLong(bound)));
        }
        return lines;
    }

    /** {@code key\tstart\tend\tcount} per window, from the definitions. */
    static Map<String, Long> expected(List<Line> lines, String kind, long size, long slide) {
        Map<String, Long> counts = new TreeMap<>();
        if (kind.equals("session")) {
            Map<String, List<Long>> byKey = new TreeMap<>();
            lines.forEach(l -> byKey.computeIfAbsent(l.key(), k -> new ArrayList<>()).add(l.ts()));
            byKey.forEach((key, ts) -> {
                ts.sort(null);
                int from = 0;
                for (int i = 1; i <= ts.size(); i++) {
                    if (i == ts.size() || ts.get(i) > ts.get(i - 1) + size) { // more than a gap apart: a new session
                        counts.put(key + "\t" + ts.get(from) + "\t" + (ts.get(i - 1) + size), (long) (i - from));
                        from = i;
                    }
                }
            });
            return counts;
        }
        for (Line l : lines) {
            for (long start = Math.floorDiv(l.ts(), slide) * slide; start > l.ts() - size; start -= slide) {
                counts.merge(l.key() + "\t" + start + "\t" + (start + size), 1L, Long::sum);
            }
        }
        return counts;
    }

    static Map<String, Long> parse(List<String> output, String context) {
        Map<String, Long> counts = new TreeMap<>();
        for (String line : output) {
            int tab = line.lastIndexOf('\t');
            if (line.split("\t", -1).length != 4 || counts.put(line.substring(0, tab), Long.parseLong(line.substring(tab + 1))) != null) {
                fail(context + ": bad or repeated output line '" + line + "'");
            }
        }
        return counts;
    }

    static void assertSameCounts(Map<String, Long> expected, Map<String, Long> actual, String context) {
        if (expected.equals(actual)) {
            return;
        }
        Map<String, String> diff = new TreeMap<>();
        expected.forEach((w, c) -> {
            if (!c.equals(actual.get(w))) {
                diff.put(w, "expected " + c + ", got " + actual.get(w));
            }
        });
        actual.forEach((w, c) -> {
            if (!expected.containsKey(w)) {
                diff.put(w, "unexpected, count " + c);
            }
        });
        StringBuilder sb = new StringBuilder(context + ": " + expected.size() + " windows expected, " + actual.size()
                + " written; " + diff.size() + " differ, e.g.:");
        diff.entrySet().stream().limit(8).forEach(e -> sb.append("\n  ").append(e.getKey()).append(": ").append(e.getValue()));
        fail(sb.toString());
    }

    @Test
    void everyKindOfWindowMatchesTheOracleAtParallelism1And2And4() throws Exception {
        long seed = 3;
        long bound = 20;
        List<Line> lines = randomLines(seed, 20_000, bound);
        Path input = Files.write(tmp.resolve("events.csv"), lines.stream().map(Line::text).toList(), StandardCharsets.UTF_8);
        record Case(String spec, String kind, long size, long slide) {}
        for (Case c : List.of(new Case("tumbling:100ms", "tumbling", 100, 100), new Case("sliding:100ms/30ms", "sliding", 100, 30),
                new Case("session:9ms", "session", 9, 0))) {
            Map<String, Long> expected = expected(lines, c.kind(), c.size(), c.slide());
            for (int parallelism : new int[] {1, 2, 4}) {
                String context = "seed " + seed + ", " + c.spec() + ", parallelism " + parallelism;
                Path output = tmp.resolve("out-" + c.kind() + "-" + parallelism + ".tsv");
                StreamEnvironment env = StreamEnvironment.create().setParallelism(parallelism);
                WindowCount.define(env, input.toString(), output.toString(), c.spec(), Duration.ofMillis(bound));
                JobResult result = env.execute("windowcount");
                assertSameCounts(expected, parse(Files.readAllLines(output, StandardCharsets.UTF_8), context), context);
                assertEquals(0, result.operator(WindowCount.LATE_SINK).recordsIn(), context + ": late records");
            }
        }
    }

    /** Bounded out-of-orderness, emitted after every record: which records are late is then exact. */
    static final class EveryRecord implements WatermarkGenerator<WindowCount.Event> {
        private final long bound;
        private long max = Long.MIN_VALUE;

        EveryRecord(long bound) {
            this.bound = bound;
        }

        @Override
        public void onEvent(WindowCount.Event event, long timestamp, WatermarkOutput output) {
            max = Math.max(max, timestamp);
            output.emitWatermark(max - bound - 1);
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {}
    }

    @Test
    void recordsForWindowsThatHaveFiredGoToTheLateOutput() throws Exception {
        long seed = 4;
        long bound = 5;
        long size = 10;
        Random random = new Random(seed);
        List<Line> lines = new ArrayList<>();
        long now = 0;
        for (int i = 0; i < 3000; i++) {
            now += random.nextInt(3);
            long behind = random.nextInt(10) == 0 ? random.nextInt(40) : random.nextInt((int) bound + 1);
            lines.add(new Line("k" + random.nextInt(5), now - behind));
        }
        // Simulation: a record is late when its window's last timestamp is at or behind the watermark so far.
        Map<String, Long> expected = new TreeMap<>();
        long lateExpected = 0;
        long watermark = Long.MIN_VALUE;
        long max = Long.MIN_VALUE;
        for (Line l : lines) {
            long start = Math.floorDiv(l.ts(), size) * size;
            if (start + size - 1 <= watermark) {
                lateExpected++;
            } else {
                expected.merge(l.key() + "\t" + start + "\t" + (start + size), 1L, Long::sum);
            }
            max = Math.max(max, l.ts());
            watermark = Math.max(watermark, max - bound - 1);
        }
        assertTrue(lateExpected > 50, "the input has late records: " + lateExpected);

        StreamEnvironment env = StreamEnvironment.create().setParallelism(1);
        DataStream<String> counts = WindowCount.counts(
                env.fromCollection(lines.stream().map(Line::text).toList(), Types.STRING),
                TumblingEventTimeWindows.of(Duration.ofMillis(size)), WatermarkStrategy.forGenerator(() -> new EveryRecord(bound)));
        CollectSink<String> sink = new CollectSink<>();
        CollectSink<WindowCount.Event> late = new CollectSink<>();
        counts.sinkTo(sink);
        WindowCount.lateRecords(counts).sinkTo(late);
        try {
            env.execute("late");
            assertSameCounts(expected, parse(sink.results(), "seed " + seed), "seed " + seed);
            assertEquals(lateExpected, late.results().size(), "seed " + seed + ": late records");
        } finally {
            sink.clear();
            late.clear();
        }
    }

    @Test
    void aMalformedLineFailsTheJobNamingTheLine() throws Exception {
        Path input = Files.writeString(tmp.resolve("bad.csv"), "a,1\n\nb,2\nc;3\n", StandardCharsets.UTF_8);
        StreamEnvironment env = StreamEnvironment.create().setParallelism(1);
        WindowCount.define(env, input.toString(), tmp.resolve("out.tsv").toString(), "tumbling:1s", Duration.ZERO);
        JobExecutionException e = assertThrows(JobExecutionException.class, () -> env.execute("windowcount"));
        assertTrue(e.getMessage().contains("'c;3'") && e.getMessage().contains("key,timestampMillis"), e.getMessage());
    }

    @Test
    void windowSpecsAndDurations() {
        assertEquals(Duration.ofMillis(500), WindowCount.parseDuration("500ms"));
        assertEquals(Duration.ofSeconds(10), WindowCount.parseDuration("10s"));
        assertEquals(Duration.ofMinutes(2), WindowCount.parseDuration("2m"));
        assertEquals(Duration.ofHours(1), WindowCount.parseDuration("1h"));
        assertEquals(Duration.ZERO, WindowCount.parseDuration("0"));
        assertEquals("TumblingEventTimeWindows(10000 ms)", WindowCount.parseWindow("tumbling:10s").toString());
        assertEquals("SlidingEventTimeWindows(10000 ms, slide 2000 ms)", WindowCount.parseWindow("sliding:10s/2s").toString());
        assertEquals("EventTimeSessionWindows(gap 5000 ms)", WindowCount.parseWindow("session:5s").toString());
        for (String bad : List.of("tumbling", "tumbling:10", "tumbling:0s", "sliding:10s", "sliding:2s/10s", "hopping:1s",
                "session:-1s", "tumbling:10 s", "tumbling:99999999999999999999ms")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WindowCount.parseWindow(bad), bad);
            assertTrue(e.getMessage().startsWith("bad window '" + bad + "'") && e.getMessage().contains("tumbling:10s"),
                    e.getMessage());
        }
    }
}
