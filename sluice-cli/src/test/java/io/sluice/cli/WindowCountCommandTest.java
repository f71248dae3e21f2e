package io.sluice.cli;

import static io.sluice.cli.MainTest.assertError;
import static io.sluice.cli.MainTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice run windowcount}: output, the late count in the summary, and errors (in {@link MainTest}'s style). */
class WindowCountCommandTest {
    private static final Pattern LATE = Pattern.compile("Late records \\(not counted\\): (\\d+)");

    @TempDir
    Path tmp;

    /** Writes {@code key,ts} lines, out of order by up to {@code maxBehind} ms, and returns the timestamps by key. */
    private Path writeInput(long seed, int count, int maxBehind, List<String[]> records) throws Exception {
        Random random = new Random(seed);
        List<String> lines = new ArrayList<>();
        long now = 1_000_000;
        for (int i = 0; i < count; i++) {
            now += random.nextInt(5);
            String key = "k" + random.nextInt(10);
            long ts = now - random.nextInt(maxBehind + 1);
            lines.add(key + "," + ts);
            records.add(new String[] {key, Long.toString(ts)});
        }
        return Files.write(tmp.resolve("events-" + seed + ".csv"), lines, StandardCharsets.UTF_8);
    }

    /** Tumbling windows of {@code size} ms: key\tstart\tend -> count. */
    private static Map<String, Long> tumbling(List<String[]> records, long size) {
        Map<String, Long> counts = new TreeMap<>();
        for (String[] r : records) {
            long start = Math.floorDiv(Long.parseLong(r[1]), size) * size;
            counts.merge(r[0] + "\t" + start + "\t" + (start + size), 1L, Long::sum);
        }
        return counts;
    }

    private static Map<String, Long> readOutput(Path file) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int tab = line.lastIndexOf('\t');
            assertEquals(4, line.split("\t", -1).length, "output line " + line);
            assertEquals(null, counts.put(line.substring(0, tab), Long.parseLong(line.substring(tab + 1))), "window twice: " + line);
        }
        return counts;
    }

    private static long lateCount(MainTest.Result r) {
        Matcher m = LATE.matcher(r.out());
        assertTrue(m.find(), "late count in the summary: " + r.out());
        return Long.parseLong(m.group(1));
    }

    @Test
    void windowcountWritesOneLinePerWindowAndNoLateRecordsWithinTheBound() throws Exception {
        List<String[]> records = new ArrayList<>();
        Path input = writeInput(7, 20_000, 49, records);
        Path output = tmp.resolve("windows.tsv");
        MainTest.Result r = run("run", "windowcount", "--input", input.toString(), "--output", output.toString(),
                "--window", "tumbling:100ms", "--out-of-orderness", "50ms", "--parallelism", "2");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("", r.err());
        assertEquals(tumbling(records, 100), readOutput(output), "seed 7");
        assertTrue(r.out().contains("Job 'windowcount' finished") && r.out().contains("Late records  "), r.out());
        assertEquals(0, lateCount(r));
    }

    @Test
    void recordsBeyondTheBoundAreEitherCountedOrLate() throws Exception {
        // Which records are late depends on when periodic watermarks are emitted; that each record is either in its
        // window's count or in the late count does not.
        List<String[]> records = new ArrayList<>();
        Path input = writeInput(8, 50_000, 3_000, records);
        Path output = tmp.resolve("windows.tsv");
        MainTest.Result r = run("run", "windowcount", "--input", input.toString(), "--output", output.toString(),
                "--window", "tumbling:1s", "--out-of-orderness", "0", "--parallelism", "1");
        assertEquals(0, r.exit(), r.toString());
        Map<String, Long> expected = tumbling(records, 1000);
        Map<String, Long> actual = readOutput(output);
        long counted = 0;
        for (Map.Entry<String, Long> w : actual.entrySet()) {
            assertTrue(w.getValue() <= expected.getOrDefault(w.getKey(), 0L), "seed 8: window " + w);
            counted += w.getValue();
        }
        assertEquals(records.size(), counted + lateCount(r), "seed 8: counted + late");
    }

    @Test
    void sessionAndSlidingSpecsRun() throws Exception {
        Path input = Files.write(tmp.resolve("in.csv"), List.of("a,0", "a,4000", "b,500", "a,20000"), StandardCharsets.UTF_8);
        Path sessions = tmp.resolve("sessions.tsv");
        assertEquals(0, run("run", "windowcount", "--input", input.toString(), "--output", sessions.toString(),
                "--window", "session:5s", "--out-of-orderness", "10s", "--parallelism", "1").exit());
        assertEquals(Map.of("a\t0\t9000", 2L, "b\t500\t5500", 1L, "a\t20000\t25000", 1L), readOutput(sessions));
        Path sliding = tmp.resolve("sliding.tsv");
        assertEquals(0, run("run", "windowcount", "--input", input.toString(), "--output", sliding.toString(),
                "--window", "sliding:10s/5s", "--out-of-orderness", "10s").exit());
        assertEquals(Map.of("a\t-5000\t5000", 2L, "a\t0\t10000", 2L, "b\t-5000\t5000", 1L, "b\t0\t10000", 1L,
                "a\t15000\t25000", 1L, "a\t20000\t30000", 1L), readOutput(sliding));
    }

    @Test
    void aMalformedLineFailsInOneLineNamingIt() throws Exception {
        Path input = Files.write(tmp.resolve("bad.csv"), List.of("a,1", "b,x2"), StandardCharsets.UTF_8);
        Path output = tmp.resolve("out.tsv");
        assertError(1, List.of("'b,x2'", "key,timestampMillis"), "run", "windowcount", "--input", input.toString(),
                "--output", output.toString(), "--window", "tumbling:1s", "--out-of-orderness", "1s");
        assertFalse(Files.exists(output), "no output for a failed job");
    }

    @Test
    void badWindowsAndDurationsAreABadCommandLine() {
        String in = tmp.toString();
        String out = tmp.resolve("out").toString();
        assertError(2, List.of("bad window 'tumbling:10'", "tumbling:10s"),
                "run", "windowcount", "--input", in, "--output", out, "--window", "tumbling:10", "--out-of-orderness", "1s");
        assertError(2, List.of("bad window 'hopping:1s'"),
                "run", "windowcount", "--input", in, "--output", out, "--window", "hopping:1s", "--out-of-orderness", "1s");
        assertError(2, List.of("--out-of-orderness", "bad duration 'soon'"),
                "run", "windowcount", "--input", in, "--output", out, "--window", "session:5s", "--out-of-orderness", "soon");
        assertError(2, List.of("--window"), "run", "windowcount", "--input", in, "--output", out, "--out-of-orderness", "1s");
    }
}
