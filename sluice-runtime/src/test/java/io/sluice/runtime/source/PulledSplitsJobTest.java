package io.sluice.runtime.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.JobClient;
import io.sluice.api.graph.RestartStrategy;
import io.sluice.api.functions.MapFunction;
import io.sluice.api.graph.CheckpointConfig;
import io.sluice.api.sink.CollectSink;
import io.sluice.api.types.Types;
import io.sluice.runtime.checkpoint.SumPerKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import io.sluice.runtime.checkpoint.storage.FileSystemCheckpointStorage;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Splits pulled from an enumerator one at a time, through checkpoints, failures and rescaled savepoints: every number
 * is counted exactly once in the keyed sums (a split in both the enumerator's and a reader's state would be read
 * twice, one in neither would be lost), checked against the plain-Java sums.
 */
class PulledSplitsJobTest {
    private static final int KEYS = 300;
    /** Failures the map still injects, and the checkpoint completed before the last one. */
    private static final AtomicInteger FAILURES_LEFT = new AtomicInteger();
    private static final AtomicLong FAILED_AFTER = new AtomicLong();

    /**
     * Fails whenever a checkpoint newer than the one before its last failure has completed, {@link #FAILURES_LEFT}
     * times in all: each restart then restores enumerator and readers from a checkpoint taken mid-input.
     */
    record FailAfterCheckpoints(String checkpoints) implements MapFunction<Long, Long> {
        @Override
        public Long map(Long value) throws Exception {
            if (value % 1_000 == 0 && FAILURES_LEFT.get() > 0) {
                long newest = newestCompleted();
                long after = FAILED_AFTER.get();
                if (newest > after && FAILED_AFTER.compareAndSet(after, newest) && FAILURES_LEFT.getAndDecrement() > 0) {
                    throw new IllegalStateException("injected failure after checkpoint " + newest);
                }
            }
            return value;
        }

        private long newestCompleted() throws IOException {
            return new FileSystemCheckpointStorage(Path.of(checkpoints)).completedCheckpointIds().stream()
                    .mapToLong(Long::longValue).max().orElse(0);
        }
    }

    private static StreamEnvironment job(PulledNumbers numbers, int parallelism, String checkpoints,
            CollectSink<String> sink) {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(parallelism);
        env.fromSource(numbers, "Pulled").uid("pulled")
                .map(new FailAfterCheckpoints(checkpoints), Types.LONG).uid("fail")
                .keyBy(v -> v % KEYS)
                .process(new SumPerKey(), Types.STRING).uid("sum")
                .sinkTo(sink).uid("collect");
        return env;
    }

    @Test
    @Timeout(120)
    void failuresRestoreEnumeratorAndReadersWithoutLosingOrRepeatingASplit(@TempDir Path dir) throws Exception {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        long n = 300_000 + random.nextInt(100_000);
        int splits = 20 + random.nextInt(60);
        int failures = 2 + random.nextInt(3);
        FAILURES_LEFT.set(failures);
        FAILED_AFTER.set(0);
        CollectSink<String> sink = new CollectSink<>();
        StreamEnvironment env = job(new PulledNumbers(n, splits, 200, 100_000), 3, dir.toString(), sink)
                .enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(10)).withDirectory(dir.toString()))
                .setRestartStrategy(RestartStrategy.fixedDelay(failures, Duration.ofMillis(5)));
        String where = "seed " + seed + ": n " + n + ", " + splits + " splits, " + failures + " failures";
        try {
            env.execute("pulled splits with failures");
            assertTrue(FAILED_AFTER.get() > 0, where + ": a failure restored a checkpoint");
            assertSums(SumPerKey.oracle(n, KEYS), SumPerKey.parse(sink.results()), where);
        } finally {
            sink.clear();
            FAILURES_LEFT.set(0);
        }
    }

    @Test
    @Timeout(120)
    void aSavepointResumesAtAnotherParallelismWithEveryUnreadSplit(@TempDir Path dir) throws Exception {
        int[][] rescales = {{1, 4}, {4, 1}, {3, 5}, {5, 2}};
        for (int[] r : rescales) {
            long n = 150_000;
            FAILURES_LEFT.set(0);
            CollectSink<String> first = new CollectSink<>();
            // Slow readers (a few numbers per poll): the savepoint finds splits with readers and with the enumerator.
            JobClient client = job(new PulledNumbers(n, 40, 50, 50_000), r[0], dir.toString(), first).executeAsync("before");
            Thread.sleep(300);
            String savepoint = client.stopWithSavepoint(dir.resolve(r[0] + "-" + r[1]).toString());
            client.await();
            assertTrue(first.results().isEmpty(), r[0] + " -> " + r[1] + ": no final sums before the input ended");
            CollectSink<String> second = new CollectSink<>();
            StreamEnvironment resumed = job(new PulledNumbers(n, 40, 1_000, 0), r[1], dir.toString(), second);
            resumed.restoreFrom(savepoint);
            resumed.execute("after");
            assertSums(SumPerKey.oracle(n, KEYS), SumPerKey.parse(second.results()), r[0] + " -> " + r[1]);
            first.clear();
            second.clear();
        }
    }

    /** Fails naming how many keys differ and the first few, rather than printing both maps whole. */
    private static void assertSums(Map<Long, Long> expected, Map<Long, Long> actual, String where) {
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<Long, Long> e : expected.entrySet()) {
            if (!e.getValue().equals(actual.get(e.getKey()))) {
                wrong.add("key " + e.getKey() + ": expected " + e.getValue() + ", got " + actual.get(e.getKey()));
            }
        }
        assertEquals(expected.size(), actual.size(), where + ": keys emitted");
        assertTrue(wrong.isEmpty(), where + ": " + wrong.size() + " of " + expected.size() + " sums wrong, e.g. "
                + wrong.subList(0, Math.min(3, wrong.size())));
    }
}
