package io.sluice.cli.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Seed → plan derivation: deterministic, within the documented ranges, and covering every configuration and fault. */
class SoakPlanTest {

    @Test
    void theSameSeedAlwaysGivesTheSamePlan() {
        for (long seed : new long[] {0, 1, 42, 7_777_777_777L, Long.MAX_VALUE}) {
            SoakPlan a = SoakPlan.fromSeed(seed, SoakVariant.STANDARD);
            SoakPlan b = SoakPlan.fromSeed(seed, SoakVariant.STANDARD);
            assertEquals(a, b);
            assertEquals(a.toString(), b.toString());
            assertTrue(a.toString().startsWith("seed " + seed + ": "), a.toString());
        }
        assertNotEquals(SoakPlan.fromSeed(1, SoakVariant.STANDARD), SoakPlan.fromSeed(2, SoakVariant.STANDARD));
    }

    @Test
    void roundSeedsStartAtTheRunSeedAndFollowAFixedSequence() {
        long seed = 123;
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertTrue(seed >= 0, "seeds are non-negative: " + seed);
            assertTrue(seen.add(seed), "seed repeated after " + i + " rounds");
            assertEquals(SoakSeeds.next(seed), SoakSeeds.next(seed));
            seed = SoakSeeds.next(seed);
        }
        assertTrue(SoakSeeds.fresh() >= 0);
    }

    @Test
    void plansStayInTheirRangesAndCoverEveryConfigurationAndFault() {
        Set<String> configurations = new HashSet<>();
        Set<FaultKind> kinds = EnumSet.noneOf(FaultKind.class);
        Set<Boolean> killKinds = new HashSet<>();
        Set<Integer> parallelisms = new HashSet<>();
        Set<Integer> retentions = new HashSet<>();
        int killRounds = 0;
        int uneven = 0;
        long seed = 9;
        for (int i = 0; i < 2000; i++, seed = SoakSeeds.next(seed)) {
            SoakPlan p = SoakPlan.fromSeed(seed, SoakVariant.STANDARD);
            String context = p.toString();
            assertTrue(p.parallelism() >= 1 && p.parallelism() <= 4, context);
            assertTrue(p.retention() >= 1 && p.retention() <= 3, context);
            assertTrue(p.checkpointMillis() >= 20 && p.checkpointMillis() <= 100, context);
            assertTrue(p.failures() >= 2 && p.failures() <= 5, context);
            assertTrue(p.kills().size() <= 3, context);
            assertTrue(p.backend().equals("rocksdb") || !p.incremental(), context);
            long duration = p.input().durationMillis();
            assertTrue(duration >= 600 && duration <= 1900, "input lasts " + duration + " ms: " + context);
            uneven += p.input().unevenSplits() ? 1 : 0;
            assertTrue(p.input().bucketMillis() >= 1 && p.input().bucketMillis() <= p.input().recordsPerSplit() / 5, context);
            // A restore fault needs a failure before it to restore from.
            assertTrue(!p.kills().isEmpty() || p.faults().isEmpty() || p.faults().getFirst().kind().armedByProgress(), context);
            for (Fault f : p.faults()) {
                assertTrue(f.kind().armedByProgress() ? f.atSeq() > 0 && f.atSeq() < p.input().recordsPerSplit()
                        : f.atSeq() == 0, context);
                kinds.add(f.kind());
            }
            p.kills().forEach(k -> killKinds.add(k.afterCheckpoint()));
            killRounds += p.kills().isEmpty() ? 0 : 1;
            configurations.add(p.backend() + (p.incremental() ? " incremental" : ""));
            parallelisms.add(p.parallelism());
            retentions.add(p.retention());
        }
        assertEquals(Set.of("heap", "rocksdb", "rocksdb incremental"), configurations);
        assertEquals(EnumSet.allOf(FaultKind.class), kinds);
        assertEquals(Set.of(true, false), killKinds);
        assertEquals(Set.of(1, 2, 3, 4), parallelisms);
        assertEquals(Set.of(1, 2, 3), retentions);
        assertTrue(killRounds > 400 && killRounds < 1000, "rounds with kills: " + killRounds + " of 2000");
        assertTrue(uneven > 600 && uneven < 1000, "rounds with uneven splits: " + uneven + " of 2000");
    }

    @Test
    void theVariantScalesTheInputAndIsPartOfTheReplay() {
        SoakPlan standard = SoakPlan.fromSeed(5, SoakVariant.STANDARD);
        SoakPlan tiny = SoakPlan.fromSeed(5, new SoakVariant(0.05, true));
        assertEquals(standard.faults().size(), tiny.faults().size());
        assertEquals(standard.parallelism(), tiny.parallelism());
        assertTrue(tiny.input().records() * 10 < standard.input().records(), tiny + " vs " + standard);
        assertEquals("", SoakVariant.STANDARD.options());
        assertEquals(" --scale 0.05 --break-sink", tiny.variant().options());
        assertTrue(tiny.toString().contains("BROKEN SINK"), tiny.toString());
        assertThrows(IllegalArgumentException.class, () -> new SoakVariant(0, false));
        assertThrows(IllegalArgumentException.class, () -> SoakPlan.fromSeed(-1, SoakVariant.STANDARD));
    }

    @Test
    void theChildCommandLineCarriesThePlan() {
        long seed = 1;
        SoakPlan p = SoakPlan.fromSeed(seed, SoakVariant.STANDARD);
        while (!p.backend().equals("rocksdb")) {
            p = SoakPlan.fromSeed(seed = SoakSeeds.next(seed), SoakVariant.STANDARD);
        }
        Path dir = Path.of("/tmp/round");
        List<String> fresh = ChildCommand.jobArguments(p, dir, false);
        String line = String.join(" ", fresh);
        assertTrue(line.startsWith("run soak-job --seed " + seed + " --round-dir /tmp/round"), line);
        assertTrue(line.contains("--parallelism " + p.parallelism() + " "), line);
        assertTrue(line.contains("--checkpoint-interval " + p.checkpointMillis() + "ms"), line);
        assertTrue(line.contains("--checkpoint-retention " + p.retention()), line);
        assertTrue(line.contains("--state-backend rocksdb --state-option rocksdb.incremental=" + p.incremental()), line);
        assertFalse(line.contains("--from-checkpoint"), line);
        List<String> resumed = ChildCommand.jobArguments(p, dir, true);
        assertEquals(List.of("--from-checkpoint", "latest"), resumed.subList(resumed.size() - 2, resumed.size()));
    }
}
