package io.sluice.cli;

import static io.sluice.cli.MainTest.assertError;
import static io.sluice.cli.MainTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.nexmark.generator.NexmarkConfig;
import io.sluice.nexmark.loop.NexmarkLoops;
import io.sluice.nexmark.results.ResultDigest;
import io.sluice.nexmark.run.Query;
import io.sluice.nexmark.run.ResultLines;
import io.sluice.nexmark.run.RunLine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice run nexmark}: the output file equals the loop's sorted lines, the NEXMARK line, and errors. */
class NexmarkCommandTest {

    @TempDir
    Path tmp;

    private static Map<String, String> nexmarkLine(MainTest.Result r) {
        String line = r.out().lines().filter(l -> l.startsWith(RunLine.PREFIX + " ")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no NEXMARK line: " + r));
        assertTrue(r.out().stripTrailing().endsWith(line), "the NEXMARK line comes last: " + r);
        return RunLine.parse(line);
    }

    @Test
    void q7WritesTheLoopsSortedLines() throws Exception {
        Path file = tmp.resolve("q7.txt");
        MainTest.Result r = run("run", "nexmark", "--query", "q7", "--events", "20000", "--parallelism", "2",
                "--output", file.toString());
        assertEquals(0, r.exit(), r.toString());
        List<Object> expected = new ArrayList<>();
        NexmarkLoops.run(Query.Q7, NexmarkConfig.of(20_000), expected::add);
        assertTrue(!expected.isEmpty());
        assertEquals(ResultLines.sorted(expected), Files.readAllLines(file, StandardCharsets.UTF_8), "seed 1, 20000 events");

        Map<String, String> line = nexmarkLine(r);
        long digest = 0;
        for (Object e : expected) {
            digest += ResultDigest.of(e);
        }
        assertEquals("sluice", line.get("engine"));
        assertEquals("q7", line.get("query"));
        assertEquals("20000", line.get("events"));
        assertEquals("2", line.get("parallelism"));
        assertEquals("heap", line.get("backend"));
        assertEquals("none", line.get("checkpoint"));
        assertEquals(Integer.toString(expected.size()), line.get("results"));
        assertEquals(String.format("%016x", digest), line.get("digest"));
        assertTrue(Long.parseLong(line.get("eps")) > 0, r.toString());
    }

    @Test
    void theLoopPrintsTheSameResultsAsTheEngine() {
        MainTest.Result engine = run("run", "nexmark", "--query", "q5", "--events", "30000", "--seed", "3",
                "--events-per-second", "1000", "--parallelism", "1", "--checkpoint-interval", "50ms");
        MainTest.Result loop = run("run", "nexmark", "--query", "q5", "--events", "30000", "--seed", "3",
                "--events-per-second", "1000", "--loop");
        assertEquals(0, engine.exit(), engine.toString());
        assertEquals(0, loop.exit(), loop.toString());
        Map<String, String> e = nexmarkLine(engine);
        Map<String, String> l = nexmarkLine(loop);
        assertEquals("loop", l.get("engine"));
        assertEquals("50ms", e.get("checkpoint"));
        assertTrue(Long.parseLong(l.get("results")) > 0, loop.toString());
        assertEquals(l.get("results"), e.get("results"));
        assertEquals(l.get("digest"), e.get("digest"));
    }

    @Test
    void aBadQueryIsOneLineListingTheValidOnes() {
        assertError(2, List.of("unknown query 'q6'", "q0, q1, q2, q3, q4, q5, q7, q8, q11, kc"),
                "run", "nexmark", "--query", "q6", "--events", "10");
        assertError(2, List.of("--events"), "run", "nexmark", "--query", "q1", "--events", "-1");
        assertError(2, List.of("--events"), "run", "nexmark", "--query", "q1");
    }
}
