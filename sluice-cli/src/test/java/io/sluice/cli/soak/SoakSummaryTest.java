package io.sluice.cli.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The soak's report: the exact count line, and for each failure its seed, problem and replay command. */
class SoakSummaryTest {

    private static RoundResult result(int round, long seed, String problem) {
        return new RoundResult(round, SoakPlan.fromSeed(seed, SoakVariant.STANDARD), Optional.ofNullable(problem), 1500,
                2, 1, 3, Path.of("/tmp/round-" + round));
    }

    @Test
    void theCountLineIsExactlyNPassedMFailed() {
        assertEquals("3 passed, 1 failed", SoakSummary.countLine(3, 1));
        assertEquals("0 passed, 0 failed", SoakSummary.countLine(0, 0));
    }

    @Test
    void eachFailureComesAfterTheCountLineWithItsSeedProblemAndReplay() {
        SoakSummary summary = new SoakSummary(" --hog");
        summary.add(result(0, 11, null));
        summary.add(result(1, 12, "output differs from the oracle: ..."));
        summary.add(result(2, 13, null));
        List<String> lines = summary.closingLines(4500, 11);
        assertTrue(lines.getFirst().startsWith("soak: 3 rounds in 4.5 s (1.5 s a round"), lines.getFirst());
        assertEquals("2 passed, 1 failed", lines.get(1));
        assertEquals("FAILED round 2, seed 12: output differs from the oracle: ...", lines.get(2));
        assertTrue(lines.get(3).startsWith("  plan: seed 12: "), lines.get(3));
        assertEquals("  files: /tmp/round-1", lines.get(4));
        assertEquals("  replay: bin/sluice soak --rounds 1 --seed 12 --hog", lines.get(5));
        assertEquals(6, lines.size());
        assertEquals(2, summary.passed());
        assertEquals(1, summary.failed());
    }

    @Test
    void aRoundLineSaysHowTheRoundWent() {
        SoakSummary summary = new SoakSummary("");
        String line = summary.roundLine(result(4, 99, null), 10);
        assertTrue(line.startsWith("round 5/10 passed in 1.5 s: 2 runs, 1 kill, 3/"), line);
        assertTrue(line.endsWith(SoakPlan.fromSeed(99, SoakVariant.STANDARD).toString()), line);
        assertFalse(summary.roundLine(result(4, 99, "hung"), 0).contains("/10"));
    }
}
