package io.sluice.cli.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The soak's report: a line per round as it ends, and the closing lines: totals, then exactly {@code N passed, M
 * failed}, then for each failed round its seed, what went wrong, where its files are and the command that replays it.
 * Main thread only.
 */
final class SoakSummary {
    private final List<RoundResult> results = new ArrayList<>();
    private final String replayOptions;

    /** @param replayOptions options a replay must repeat besides the seed (the hog, the variant), each with a leading space */
    SoakSummary(String replayOptions) {
        this.replayOptions = replayOptions;
    }

    void add(RoundResult result) {
        results.add(result);
    }

    int failed() {
        return (int) results.stream().filter(r -> !r.passed()).count();
    }

    int passed() {
        return results.size() - failed();
    }

    /** The closing line: exactly {@code N passed, M failed}. */
    static String countLine(int passed, int failed) {
        return passed + " passed, " + failed + " failed";
    }

    /** The command that runs exactly the round with seed {@code seed} again. */
    String replayCommand(long seed) {
        return "bin/sluice soak --rounds 1 --seed " + seed + replayOptions;
    }

    /** The line printed when a round ends; {@code of} is the planned number of rounds, or 0 if only time bounds them. */
    String roundLine(RoundResult r, int of) {
        int planned = r.plan().faults().size();
        return String.format(Locale.ROOT, "round %d%s %s in %.1f s: %d run%s, %d kill%s, %d/%d faults fired | %s",
                r.round() + 1, of > 0 ? "/" + of : "", r.passed() ? "passed" : "FAILED", r.millis() / 1000.0, r.runs(),
                r.runs() == 1 ? "" : "s", r.kills(), r.kills() == 1 ? "" : "s", r.faultsFired(), planned, r.plan());
    }

    /** The lines that end the soak's output: totals, the count line, then each failure. */
    List<String> closingLines(long totalMillis, long firstSeed) {
        List<String> lines = new ArrayList<>();
        long slowest = results.stream().mapToLong(RoundResult::millis).max().orElse(0);
        int faults = results.stream().mapToInt(r -> r.plan().faults().size()).sum();
        int fired = results.stream().mapToInt(RoundResult::faultsFired).sum();
        int kills = results.stream().mapToInt(RoundResult::kills).sum();
        lines.add(String.format(Locale.ROOT, "soak: %d round%s in %.1f s (%.1f s a round, slowest %.1f s); %d of %d planned "
                        + "faults fired, %d kills; seed %d (this whole run: bin/sluice soak --rounds %d --seed %d%s)",
                results.size(), results.size() == 1 ? "" : "s", totalMillis / 1000.0,
                results.isEmpty() ? 0 : totalMillis / 1000.0 / results.size(), slowest / 1000.0, fired, faults, kills,
                firstSeed, Math.max(1, results.size()), firstSeed, replayOptions));
        lines.add(countLine(passed(), failed()));
        for (RoundResult r : results) {
            if (!r.passed()) {
                lines.add("FAILED round " + (r.round() + 1) + ", seed " + r.plan().seed() + ": " + r.problem().orElseThrow());
                lines.add("  plan: " + r.plan());
                lines.add("  files: " + r.roundDir());
                lines.add("  replay: " + replayCommand(r.plan().seed()));
            }
        }
        return lines;
    }
}
