package io.sluice.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.source.Source;
import io.sluice.api.source.SourceSplit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The contract of a bounded {@link Source} with its {@link io.sluice.api.source.SplitEnumerator} and readers, run the
 * way the runtime runs them ({@link SourceDriver}: registration, events in order, split requests answered later, random
 * interleavings): every record is read exactly once with any number of readers; a checkpoint holds each split in one
 * place only (with the enumerator or with one reader); a restore from any checkpoint, at any parallelism, after more
 * records were read and thrown away, reads the rest exactly once; readers end, in a bounded number of steps, once
 * their input is read. The oracle is one reader reading everything without interruption.
 *
 * <p>Extend it for a source: give {@link #source()} (bounded, deterministic: the same records on every run).
 * Seeded; a failure names its seed.
 */
public abstract class SourceContractTest<T> {
    private static final int MAX_STEPS = 2_000_000;
    private static final int SEEDS = 12;

    /** A fresh instance of the source under test; bounded and deterministic. */
    protected abstract Source<T, ?> source() throws Exception;

    private <S extends SourceSplit> List<T> readAll(Source<T, S> source, int parallelism, Random random) throws Exception {
        SourceDriver<T, S> driver = new SourceDriver<>(source, random);
        try {
            driver.start(parallelism, null);
            assertTrue(driver.run(MAX_STEPS, 0), "every reader ended within " + MAX_STEPS + " steps");
            return driver.output();
        } finally {
            driver.close();
        }
    }

    /**
     * What {@code parallelism} readers read in one fixed order, without interruption: the oracle of runs that start
     * at that parallelism (a source may cut its input by the parallelism it starts with).
     */
    private Map<T, Integer> oracle(int parallelism) throws Exception {
        return counts(readAll(source(), parallelism, new Random(0)));
    }

    @Test
    void everyRecordIsReadOnceWithAnyNumberOfReaders() throws Exception {
        for (int seed = 1; seed <= SEEDS; seed++) {
            int parallelism = 1 + seed % 4;
            Map<T, Integer> expected = oracle(parallelism);
            assertTrue(!expected.isEmpty(), "the source under test emits records");
            assertSameRecords(expected, counts(readAll(source(), parallelism, new Random(seed))),
                    "seed " + seed + ", " + parallelism + " readers");
        }
    }

    @Test
    void aRestoreAtAnotherParallelismReadsTheRestExactlyOnce() throws Exception {
        for (int seed = 1; seed <= SEEDS; seed++) {
            restoreOnce(source(), seed);
        }
    }

    private <S extends SourceSplit> void restoreOnce(Source<T, S> source, long seed) throws Exception {
        Random random = new Random(seed);
        int before = 1 + random.nextInt(4);
        int after = 1 + random.nextInt(4);
        Map<T, Integer> expected = oracle(before);
        int total = expected.values().stream().mapToInt(Integer::intValue).sum();
        String where = "seed " + seed + ", " + before + " -> " + after + " readers";
        SourceDriver<T, S> driver = new SourceDriver<>(source, random);
        try {
            driver.start(before, null);
            driver.run(MAX_STEPS, 1 + random.nextInt(Math.max(1, total / 2 + 1)));
            SourceDriver.Checkpoint<S> checkpoint = driver.checkpoint();
            assertEachSplitInOnePlace(checkpoint, where);
            driver.run(MAX_STEPS, 1 + random.nextInt(Math.max(1, total / 4 + 1))); // read on, then fail
            driver.start(after, checkpoint);
            assertTrue(driver.run(MAX_STEPS, 0), where + ": every reader ended within " + MAX_STEPS + " steps");
            assertSameRecords(expected, counts(driver.output()), where);
        } finally {
            driver.close();
        }
    }

    private static <S extends SourceSplit> void assertEachSplitInOnePlace(SourceDriver.Checkpoint<S> checkpoint,
            String where) {
        Set<String> seen = new HashSet<>();
        for (S split : checkpoint.enumerator()) {
            assertTrue(seen.add(split.splitId()), where + ": split " + split.splitId() + " twice with the enumerator");
        }
        for (List<S> reader : checkpoint.readers()) {
            for (S split : reader) {
                assertTrue(seen.add(split.splitId()), where + ": split " + split.splitId()
                        + " both with the enumerator and a reader, or with two readers");
            }
        }
    }

    /** Fails naming how many records are missing or extra, and a few of each, rather than printing everything. */
    private static <T> void assertSameRecords(Map<T, Integer> expected, Map<T, Integer> actual, String where) {
        List<String> missing = new java.util.ArrayList<>();
        List<String> extra = new java.util.ArrayList<>();
        for (Map.Entry<T, Integer> e : expected.entrySet()) {
            int got = actual.getOrDefault(e.getKey(), 0);
            if (got < e.getValue()) {
                missing.add(e.getKey() + " x" + (e.getValue() - got));
            }
        }
        for (Map.Entry<T, Integer> e : actual.entrySet()) {
            int want = expected.getOrDefault(e.getKey(), 0);
            if (e.getValue() > want) {
                extra.add(e.getKey() + " x" + (e.getValue() - want));
            }
        }
        assertTrue(missing.isEmpty() && extra.isEmpty(), where + ": " + missing.size() + " records missing "
                + missing.subList(0, Math.min(5, missing.size())) + ", " + extra.size() + " read too often "
                + extra.subList(0, Math.min(5, extra.size())));
    }

    private static <T> Map<T, Integer> counts(List<T> records) {
        Map<T, Integer> counts = new HashMap<>();
        records.forEach(r -> counts.merge(r, 1, Integer::sum));
        return counts;
    }
}
