package io.sluice.state.rocksdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.graph.RestartStrategy;
import io.sluice.api.functions.MapFunction;
import io.sluice.api.graph.CheckpointConfig;
import io.sluice.api.sink.CollectSink;
import io.sluice.api.types.Types;
import io.sluice.runtime.checkpoint.storage.FileSystemCheckpointStorage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's race in a whole job, every time: the keyed task's incremental upload of a checkpoint is held before it
 * lists its local checkpoint; meanwhile the job fails (a map throws), the keyed task closes its backend, and the
 * close is held after it deleted CURRENT, MANIFEST and OPTIONS of that local checkpoint until the upload is over.
 * Before the fix, the upload stored the SST files alone, the checkpoint completed during the failed attempt's teardown,
 * and the next attempt restored the keyed state as an empty database: the sums were missing everything before it.
 * Now the failure aborts the attempt's pending checkpoints before any task closes, the close leaves the upload's local
 * checkpoint alone, and the job's output equals the plain-Java sums.
 */
@Timeout(120)
class IncrementalUploadRaceJobTest {
    private static final int KEYS = 500;
    private static final long RECORDS = 60_000;
    private static final long LATCH_SECONDS = 10;

    /** Set by the probe: the map throws at its next record, once. */
    private static final AtomicBoolean FAIL_NOW = new AtomicBoolean();

    static final class FailsWhenTold implements MapFunction<Long, Long> {
        @Override
        public Long map(Long v) {
            if (FAIL_NOW.compareAndSet(true, false)) {
                throw new IllegalStateException("injected failure while the keyed task's upload waits, at record " + v);
            }
            return v;
        }
    }

    @AfterEach
    void removeProbe() {
        LifecycleProbe.install(LifecycleProbe.NONE);
        FAIL_NOW.set(false);
    }

    /**
     * Waits for {@code latch} at most {@link #LATCH_SECONDS} (on time-out the side it held goes on), through
     * interrupts: the close runs on a task thread the failure's cancel interrupts. The interrupt is kept for later.
     */
    private static void await(CountDownLatch latch) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LATCH_SECONDS);
        boolean interrupted = false;
        try {
            while (latch.getCount() > 0 && System.nanoTime() < deadline) {
                try {
                    latch.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The newest completed checkpoint in {@code dir}, or 0. */
    private static long latestCompleted(Path dir) {
        try {
            List<Long> ids = new FileSystemCheckpointStorage(dir).completedCheckpointIds();
            return ids.isEmpty() ? 0 : ids.getLast();
        } catch (IOException e) {
            return 0; // listed while a checkpoint was deleted: as if none
        }
    }

    /** Waits (bounded, polling the storage) until a checkpoint newer than {@code id} completed in {@code dir}. */
    private static void awaitCompletedAfter(Path dir, long id) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (latestCompleted(dir) <= id && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /** Holds the third upload of the first backend and the close of that backend as described above. */
    private static final class RaceProbe implements LifecycleProbe {
        final AtomicReference<Path> held = new AtomicReference<>();
        final CountDownLatch smallFilesGone = new CountDownLatch(1);
        final CountDownLatch uploadDone = new CountDownLatch(1);
        final AtomicBoolean closeHeld = new AtomicBoolean();
        final Path checkpoints;

        RaceProbe(Path checkpoints) {
            this.checkpoints = checkpoints;
        }

        @Override
        public void beforeListing(Path local) {
            // chk-3 or later of a backend: earlier checkpoints completed, so it is an incremental one.
            int sequence = Integer.parseInt(local.getFileName().toString().substring("chk-".length()));
            if (sequence >= 3 && held.compareAndSet(null, local)) {
                FAIL_NOW.set(true);
                await(smallFilesGone);
            }
        }

        @Override
        public void afterUpload(Path local) {
            if (local.equals(held.get())) {
                uploadDone.countDown();
            }
        }

        @Override
        public void beforeDelete(Path path) {
            Path local = held.get();
            if (local != null && local.equals(path.getParent()) && path.getFileName().toString().endsWith(".sst")
                    && closeHeld.compareAndSet(false, true)) {
                long completedBefore = latestCompleted(checkpoints);
                smallFilesGone.countDown();
                await(uploadDone);
                // As in the CI failure: the close goes on only once the upload's checkpoint completed (if it can).
                awaitCompletedAfter(checkpoints, completedBefore);
            }
        }

        @Override
        public void afterClose(Path directory) {
            Path local = held.get();
            if (local != null && directory.equals(local.getParent())) {
                smallFilesGone.countDown(); // the close spared the upload's local checkpoint
            }
        }
    }

    @Test
    void aFailureDuringAnIncrementalUploadNeverRestoresTheKeyedStateEmpty(@TempDir Path dir) throws Exception {
        RaceProbe probe = new RaceProbe(dir.resolve("checkpoints"));
        LifecycleProbe.install(probe);
        CollectSink<String> sink = new CollectSink<>();
        StreamEnvironment env = StreamEnvironment.create().setParallelism(1).setStateBackend("rocksdb")
                .setStateBackendOption("rocksdb.incremental", "true")
                .setStateBackendOption("rocksdb.local-dir", dir.resolve("local").toString())
                .enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(30))
                        .withDirectory(dir.resolve("checkpoints").toString()).withRetained(2))
                .setRestartStrategy(RestartStrategy.fixedDelay(3, Duration.ofMillis(10)));
        // Sources and the map in two tasks, the keyed function in a third: its upload is the last of each checkpoint.
        env.generateSequence(1, RECORDS, 40_000).uid("numbers").setParallelism(2)
                .map(new FailsWhenTold()).uid("fail").setParallelism(2)
                .keyBy(v -> v % KEYS)
                .process(new RocksDbJobTest.SumAndCount(), Types.STRING).uid("sum")
                .sinkTo(sink).uid("collect");
        env.execute("upload race");

        assertTrue(probe.held.get() != null && probe.closeHeld.get() || probe.smallFilesGone.getCount() == 0,
                "the probe held an upload while the job failed");
        Map<Long, String> expected = new TreeMap<>();
        Map<Long, long[]> acc = new TreeMap<>();
        for (long v = 1; v <= RECORDS; v++) {
            long[] a = acc.computeIfAbsent(v % KEYS, k -> new long[2]);
            a[0] += v;
            a[1]++;
        }
        acc.forEach((k, a) -> expected.put(k, k + "=" + a[0] + "/" + a[1]));
        Map<Long, String> actual = new TreeMap<>();
        for (String line : sink.results()) {
            String value = line.substring(0, line.indexOf('@'));
            String previous = actual.put(Long.parseLong(value.substring(0, value.indexOf('='))), value);
            assertEquals(null, previous, "key emitted twice: " + line);
        }
        if (!expected.equals(actual)) {
            long wrong = expected.entrySet().stream().filter(e -> !e.getValue().equals(actual.get(e.getKey()))).count();
            String first = expected.entrySet().stream().filter(e -> !e.getValue().equals(actual.get(e.getKey())))
                    .limit(3).map(e -> "expected " + e.getValue() + ", got " + actual.get(e.getKey())).toList().toString();
            throw new AssertionError(wrong + " of " + KEYS + " keys wrong after the failure; first: " + first);
        }
    }
}
