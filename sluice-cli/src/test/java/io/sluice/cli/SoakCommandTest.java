package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice soak} end to end, with tiny inputs (the hidden {@code --scale}) so it stays fast: rounds run in child
 * JVMs and pass; a deliberately broken sink ({@code --break-sink}) fails its round with the seed and the replay
 * command; a round over its timeout fails and leaves no child behind; bad options are a bad command line.
 */
class SoakCommandTest {
    @TempDir
    Path tmp;

    /** Runs {@code sluice soak ARGS --work-dir <tmp>}. */
    private MainTest.Result soak(String... args) {
        List<String> all = new ArrayList<>(List.of("soak"));
        all.addAll(List.of(args));
        all.addAll(List.of("--work-dir", tmp.toString()));
        return MainTest.run(all.toArray(String[]::new));
    }

    private static List<String> lines(MainTest.Result r) {
        return r.out().lines().toList();
    }

    /** The child JVMs of this JVM running a soak job (none must be left). */
    private static List<ProcessHandle> soakChildren() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains("soak-job")).orElse(false))
                .toList();
    }

    @Test
    @Timeout(120)
    void tinyRoundsPassAndTheOutputEndsWithTheCountLine() throws Exception {
        // Seed 1's round has a kill; the next seed's runs in one child.
        MainTest.Result r = soak("--rounds", "2", "--seed", "1", "--scale", "0.05");
        List<String> lines = lines(r);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(lines.getFirst().startsWith("soak: seed 1, up to 2 rounds"), r.toString());
        assertTrue(lines.get(1).startsWith("round 1/2 passed in ") && lines.get(1).contains("| seed 1: "), r.toString());
        assertTrue(lines.get(2).startsWith("round 2/2 passed in "), r.toString());
        assertTrue(lines.get(3).startsWith("soak: 2 rounds in "), r.toString());
        assertEquals("2 passed, 0 failed", lines.getLast(), r.toString());
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(), left.toList(), "files of passed rounds are deleted");
        }
        assertEquals(List.of(), soakChildren());
    }

    @Test
    @Timeout(60)
    void aSinkThatLosesDataFailsTheRoundWithItsSeedAndReplayCommand() throws Exception {
        MainTest.Result r = soak("--rounds", "1", "--seed", "3", "--scale", "0.05", "--break-sink");
        List<String> lines = lines(r);
        assertEquals(1, r.exit(), r.toString());
        int count = lines.indexOf("0 passed, 1 failed");
        assertTrue(count > 0, r.toString());
        assertTrue(lines.get(count + 1).startsWith("FAILED round 1, seed 3: output differs from the oracle"), r.toString());
        assertTrue(lines.get(count + 1).contains("1 missing [f "), r.toString());
        assertTrue(lines.get(count + 2).startsWith("  plan: seed 3: "), r.toString());
        Path files = Path.of(lines.get(count + 3).substring("  files: ".length()));
        assertTrue(Files.exists(files.resolve("history.txt")), "a failed round's files are kept: " + r);
        assertEquals("  replay: bin/sluice soak --rounds 1 --seed 3 --scale 0.05 --break-sink", lines.get(count + 4));
        assertEquals(count + 5, lines.size(), r.toString());
    }

    @Test
    @Timeout(60)
    void aRoundOverItsTimeoutFailsAndItsChildJvmsAreKilled() {
        MainTest.Result r = soak("--rounds", "1", "--seed", "1", "--round-timeout", "1");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.out().contains("\n0 passed, 1 failed\nFAILED round 1, seed 1: timed out after 1 s"), r.toString());
        assertTrue(r.out().contains("  replay: bin/sluice soak --rounds 1 --seed 1\n"), r.toString());
        assertEquals(List.of(), soakChildren(), "child JVMs left after a timed-out round");
    }

    @Test
    @Timeout(60)
    void minutesBoundTheRunByTime() {
        MainTest.Result r = soak("--minutes", "0.0001", "--seed", "3", "--scale", "0.05");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("rounds until time is up, starting none after 1.0E-4 min"), r.toString());
        assertEquals("1 passed, 0 failed", lines(r).getLast(), r.toString());
    }

    @Test
    void badOptionsAreABadCommandLine() {
        MainTest.assertError(2, List.of("--rounds must be at least 1"), "soak", "--rounds", "0");
        MainTest.assertError(2, List.of("--minutes must be positive"), "soak", "--minutes", "0");
        MainTest.assertError(2, List.of("--seed must not be negative"), "soak", "--seed", "-1");
        MainTest.assertError(2, List.of("--round-timeout must be at least 1 s"), "soak", "--round-timeout", "0");
        MainTest.assertError(2, List.of("--scale"), "soak", "--scale", "0");
        assertFalse(MainTest.run("soak", "--help").out().contains("--break-sink"), "internal options are hidden");
    }
}
