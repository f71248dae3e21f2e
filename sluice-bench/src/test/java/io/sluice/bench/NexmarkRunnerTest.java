package io.sluice.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.bench.NexmarkResults.Config;
import io.sluice.bench.NexmarkResults.Diff;
import io.sluice.bench.NexmarkRunner.Options;
import io.sluice.bench.NexmarkResults.Round;
import io.sluice.bench.NexmarkResults.Run;
import io.sluice.bench.NexmarkResults.Summary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's pure parts: no engine runs here. */
class NexmarkRunnerTest {

    private static Run run(String engine, long eps, long results, String digest, long rssMb) {
        return Run.of("NEXMARK engine=" + engine + " query=q5 events=3000000 parallelism=1 backend=heap checkpoint=none "
                + "millis=1000 eps=" + eps + " results=" + results + " digest=" + digest + " peak_rss_mb=" + rssMb, -1);
    }

    @Test
    void mediansTakeTheMiddleOrTheMeanOfTheMiddleTwo() {
        assertEquals(2.0, NexmarkResults.median(List.of(3.0, 1.0, 2.0)));
        assertEquals(2.5, NexmarkResults.median(List.of(4.0, 1.0, 3.0, 2.0)));
        assertEquals(7.0, NexmarkResults.median(List.of(7.0)));
        assertTrue(Double.isNaN(NexmarkResults.median(List.of())));
    }

    @Test
    void theRatioIsTheMedianOfThePairsRatios() {
        // per pair sluice/flink: 2.0, 3.0, 1.5 -> median 2.0 (not median(sluice)/median(flink) = 2000/800 = 2.5)
        List<Round> rounds = List.of(
                new Round(run("sluice", 2000, 10, "aa", 400), run("flink", 1000, 10, "aa", 700), run("loop", 4000, 10, "aa", 100)),
                new Round(run("sluice", 2400, 10, "aa", 420), run("flink", 800, 10, "aa", 650), run("loop", 4000, 10, "aa", 100)),
                new Round(run("sluice", 1200, 10, "aa", 380), run("flink", 800, 10, "aa", 690), run("loop", 3000, 10, "aa", 100)));
        Summary s = Summary.of(new Config("q5", 1, "heap"), 3_000_000, "none", rounds, "ok", "25.0.3+9-LTS");
        assertEquals(2.0, s.ratio(), 1e-9);
        assertEquals(1.5, s.ratioMin(), 1e-9);
        assertEquals(3.0, s.ratioMax(), 1e-9);
        assertEquals(2000, s.sluiceEps());
        assertEquals(800, s.flinkEps());
        assertEquals(4000, s.loopEps());
        assertEquals(0.5, s.efficiency(), 1e-9); // per pair sluice/loop: 0.5, 0.6, 0.4
        assertEquals(400, s.sluiceRssMb());
        assertEquals(690, s.flinkRssMb());
        assertTrue(s.ok());
        assertEquals("RESULT query=q5 parallelism=1 backend=heap sluice_eps=2000 flink_eps=800 ratio=2.00 loop_eps=4000 "
                + "efficiency=0.50 ratio_min=1.50 ratio_max=3.00 loop_ratio=0.50 sluice_rss_mb=400 flink_rss_mb=690 "
                + "checkpoint=none events=3000000 pairs=3 min_run_s=1.0 check=ok digests=ok failed_runs=0 jdk=25.0.3+9-LTS",
                s.format());
    }

    @Test
    void atParallelismTwoTheEfficiencyIsTheParallelismOneLines() {
        Round p1 = new Round(run("sluice", 1000, 1, "a", 1), run("flink", 500, 1, "a", 1), run("loop", 4000, 1, "a", 1));
        Round p2 = new Round(run("sluice", 1800, 1, "a", 1), run("flink", 900, 1, "a", 1), run("loop", 4000, 1, "a", 1));
        Summary one = Summary.of(new Config("q0", 1, "heap"), 100, "none", List.of(p1), "ok", "25");
        Summary two = Summary.of(new Config("q0", 2, "heap"), 100, "none", List.of(p2), "ok", "25");
        assertTrue(Double.isNaN(two.efficiency()), "alone, a parallelism-2 line has no efficiency");
        assertTrue(two.format().contains(" efficiency=na "));
        Summary full = two.withEfficiencyFrom(List.of(one, two));
        assertEquals(0.25, full.efficiency(), 1e-9);
        assertEquals(0.45, full.loopRatio(), 1e-9);
        assertTrue(full.format().contains(" loop_eps=4000 efficiency=0.25 ratio_min=2.00 ratio_max=2.00 loop_ratio=0.45 "),
                full.format());
        Summary otherBackend = Summary.of(new Config("q0", 1, "rocksdb"), 100, "none", List.of(p1), "ok", "25");
        assertTrue(Double.isNaN(two.withEfficiencyFrom(List.of(otherBackend)).efficiency()));
    }

    @Test
    void differentCountsOrDigestsInAPairAreAMismatch() {
        Round same = new Round(run("sluice", 1, 5, "0f", 1), run("flink", 1, 5, "0f", 1), run("loop", 1, 5, "0f", 1));
        assertNull(same.mismatch());
        Round digest = new Round(run("sluice", 1, 5, "0f", 1), run("flink", 1, 5, "0e", 1), run("loop", 1, 5, "0f", 1));
        assertEquals("sluice 5/0f != flink 5/0e", digest.mismatch());
        Round loop = new Round(run("sluice", 1, 5, "0f", 1), run("flink", 1, 5, "0f", 1), run("loop", 1, 6, "0f", 1));
        assertEquals("sluice 5/0f != loop 6/0f", loop.mismatch());
        Summary s = Summary.of(new Config("q1", 1, "heap"), 1, "none", List.of(same, digest), "ok", "25");
        assertEquals("mismatch", s.digests());
        assertFalse(s.ok());
    }

    @Test
    void failedRunsAreCountedAndLeaveNa() {
        Round noFlink = new Round(run("sluice", 1000, 5, "0f", 300), null, run("loop", 2000, 5, "0f", 1));
        Summary s = Summary.of(new Config("q3", 1, "rocksdb"), 1, "10s", List.of(noFlink), "failed", "25");
        assertEquals(1, s.failedRuns());
        assertFalse(s.ok());
        assertTrue(s.format().startsWith("RESULT query=q3 parallelism=1 backend=rocksdb sluice_eps=1000 flink_eps=na "
                + "ratio=na loop_eps=2000 efficiency=0.50 ratio_min=na ratio_max=na loop_ratio=0.50 sluice_rss_mb=300 "
                + "flink_rss_mb=na checkpoint=10s "), s.format());
    }

    @Test
    void theRssFromTimeWinsOverTheLines() {
        String line = "NEXMARK engine=flink query=q0 events=1 parallelism=1 backend=heap checkpoint=none millis=1 eps=1 "
                + "results=1 digest=01 peak_rss_mb=500 jdk=25.0.3+9-LTS flink=2.3.0";
        assertEquals(500, Run.of(line, -1).rssMb());
        assertEquals(510, Run.of(line, 522_240).rssMb()); // KiB from /usr/bin/time -f %M
        assertEquals(-1, Run.of(line.replace(" peak_rss_mb=500", ""), -1).rssMb()); // an old line: unknown
        assertThrows(IllegalArgumentException.class, () -> Run.of("sluice: job finished", -1));
    }

    @Test
    void smallRatiosKeepTwoSignificantDigits() {
        assertEquals("2.47", NexmarkResults.twoDecimals(2.4651));
        assertEquals("0.10", NexmarkResults.twoDecimals(0.1));
        assertEquals("0.0011", NexmarkResults.twoDecimals(0.00109));
        assertEquals("0.00", NexmarkResults.twoDecimals(0));
        assertEquals("na", NexmarkResults.twoDecimals(Double.NaN));
        assertEquals("1235", NexmarkResults.whole(1234.5));
    }

    @Test
    void equalSortedLinesHaveNoDiff() {
        assertNull(Diff.of(List.of("a", "b"), List.of("a", "b")));
    }

    @Test
    void aDiffShowsTheFirstDifferenceAndWhatOnlyOneSideHas() {
        Diff d = Diff.of(List.of("a", "b", "c", "c", "e"), List.of("a", "c", "d", "e"));
        assertEquals(5, d.linesA());
        assertEquals(4, d.linesB());
        assertEquals(2, d.firstLine());
        assertEquals("b", d.firstA());
        assertEquals("c", d.firstB());
        assertEquals(2, d.onlyA()); // b and the second c
        assertEquals(List.of("b", "c"), d.examplesA());
        assertEquals(1, d.onlyB());
        assertEquals(List.of("d"), d.examplesB());
        assertEquals("  sluice: 5 lines, flink: 4 lines; first difference at line 2:\n"
                + "    sluice: b\n"
                + "    flink:  c\n"
                + "  only in sluice: 2 lines, first: b | c\n"
                + "  only in flink: 1 lines, first: d", d.describe("sluice", "flink"));
    }

    @Test
    void aShorterFileEndsFirst() {
        Diff d = Diff.of(List.of("a", "b"), List.of("a"));
        assertEquals(2, d.firstLine());
        assertEquals("b", d.firstA());
        assertNull(d.firstB());
        assertTrue(d.describe("sluice", "loop").contains("loop:   (end of file)"), d.describe("sluice", "loop"));
        assertEquals(1, d.onlyA());
        assertEquals(0, d.onlyB());
    }

    @Test
    void filesCompareByteForByte(@TempDir Path dir) throws Exception {
        Path a = Files.writeString(dir.resolve("a.txt"), "x\ny\n", StandardCharsets.UTF_8);
        Path b = Files.writeString(dir.resolve("b.txt"), "x\ny\n", StandardCharsets.UTF_8);
        Path c = Files.writeString(dir.resolve("c.txt"), "x\nz\n", StandardCharsets.UTF_8);
        Path d = Files.writeString(dir.resolve("d.txt"), "x\ny", StandardCharsets.UTF_8);
        assertNull(Diff.of(a, b));
        assertEquals("z", Diff.of(a, c).firstB());
        Diff bytes = Diff.of(a, d);
        assertTrue(bytes.bytesOnly());
        assertTrue(bytes.describe("sluice", "flink").contains("the lines are equal but the bytes differ"));
    }

    @Test
    void optionsHaveModestDefaultsAndCheckTheirValues() {
        Options o = Options.parse("--root", "/r");
        assertEquals(NexmarkRunner.ALL_QUERIES, o.queries());
        assertEquals(List.of(1), o.parallelisms());
        assertEquals(List.of("heap"), o.backends());
        assertEquals(5_000_000, o.events());
        assertEquals(3, o.pairs());
        assertEquals("none", o.checkpoint());
        assertEquals(200_000, o.checkEvents());
        assertEquals("2g", o.xmx());
        assertEquals(List.of(), o.args());

        Options p = Options.parse("--queries", "Q0,q5", "--parallelism", "1,2", "--backend", "heap,rocksdb",
                "--checkpoint-interval", "10s", "--events", "3000000");
        assertEquals(List.of("q0", "q5"), p.queries());
        assertEquals(List.of(1, 2), p.parallelisms());
        assertEquals(List.of("heap", "rocksdb"), p.backends());
        assertEquals("10s", p.checkpoint());
        assertEquals(List.of("--queries", "Q0,q5", "--parallelism", "1,2", "--backend", "heap,rocksdb",
                "--checkpoint-interval", "10s", "--events", "3000000"), p.args());

        assertThrows(IllegalArgumentException.class, () -> Options.parse("--queries", "q6"));
        assertThrows(IllegalArgumentException.class, () -> Options.parse("--backend", "memory"));
        assertThrows(IllegalArgumentException.class, () -> Options.parse("--parallelism", "0"));
        assertThrows(IllegalArgumentException.class, () -> Options.parse("--checkpoint-interval", "10"));
        assertThrows(IllegalArgumentException.class, () -> Options.parse("--xmx", "-Xmx2g"));
        assertThrows(IllegalArgumentException.class, () -> Options.parse("--events"));
        assertThrows(IllegalArgumentException.class, () -> Options.parse("--frobnicate", "1"));
    }

    @Test
    void theFlinkFlagsComeFromTheScriptsBlock() {
        String script = """
                java="x"
                flink_flags=(
                    --add-opens=java.base/java.lang=ALL-UNNAMED
                    # a comment
                    --sun-misc-unsafe-memory-access=allow
                )
                exec "$java" "${flink_flags[@]}"
                """;
        assertEquals(List.of("--add-opens=java.base/java.lang=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"),
                NexmarkResults.flinkFlags(script));
        assertThrows(IllegalArgumentException.class, () -> NexmarkResults.flinkFlags("exec java"));
    }

    @Test
    void theRealScriptHasItsFlags() throws Exception {
        Path script = Path.of("../sluice-nexmark-flink/run-flink.sh");
        if (Files.exists(script)) {
            List<String> flags = NexmarkResults.flinkFlags(Files.readString(script));
            assertTrue(flags.contains("--add-opens=java.base/java.util=ALL-UNNAMED"), flags.toString());
            assertTrue(flags.contains("--enable-native-access=ALL-UNNAMED"), flags.toString());
        }
    }
}
