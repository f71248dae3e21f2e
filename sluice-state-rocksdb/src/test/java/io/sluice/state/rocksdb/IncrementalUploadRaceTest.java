package io.sluice.state.rocksdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.Types;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyGroups;
import io.sluice.runtime.state.KeyedStateBackend;
import io.sluice.runtime.state.KeyedStateSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The race of issue 12, reproduced every time with {@link LifecycleProbe} latches: an incremental upload lists its
 * local checkpoint while the backend's close is deleting it (CURRENT, MANIFEST and OPTIONS already gone, the SST
 * files not yet). Whatever the interleaving, an upload either fails or yields a snapshot that restores exactly the
 * state at its barrier; it never yields a file set that restores as an empty database.
 */
@Timeout(60)
class IncrementalUploadRaceTest {
    private static final int MAX_PARALLELISM = 16;
    private static final int KEYS = 5_000;
    private static final ValueStateDescriptor<Long> COUNT = new ValueStateDescriptor<>("count", Types.LONG, 0L);
    private static final long LATCH_SECONDS = 10;

    @TempDir
    Path tmp;

    private final ExecutorService threads = Executors.newFixedThreadPool(2, r -> new Thread(r, "upload-race-test"));

    @AfterEach
    void cleanUp() {
        LifecycleProbe.install(LifecycleProbe.NONE);
        threads.shutdownNow();
    }

    private RocksDbKeyedStateBackend backend() throws IOException {
        return new RocksDbKeyedStateBackend(new KeyGroupRange(0, MAX_PARALLELISM), MAX_PARALLELISM, Types.INT, () -> 0L,
                tmp.resolve("local"), RocksDbOptions.defaults().withMemoryBudget(16L << 20).withIncremental(true));
    }

    private static void addOne(KeyedStateBackend b, Map<Integer, Long> oracle, int from, int to) {
        ValueState<Long> count = b.getState(COUNT);
        for (int key = from; key < to; key++) {
            b.setCurrentKey(key);
            count.update(count.value() + 1);
            oracle.merge(key, 1L, Long::sum);
        }
    }

    private static Map<Integer, Long> read(KeyedStateBackend b) {
        Map<Integer, Long> out = new HashMap<>();
        ValueState<Long> count = b.getState(COUNT);
        for (int key = 0; key < KEYS; key++) {
            if (b.keyGroupRange().contains(KeyGroups.keyGroupOf(key, MAX_PARALLELISM))) {
                b.setCurrentKey(key);
                if (count.value() != 0L) {
                    out.put(key, count.value());
                }
            }
        }
        return out;
    }

    /** Whether {@code path} is a file inside one of {@code backend}'s local checkpoint directories. */
    private static boolean inLocalCheckpoint(Path path, Path backendDir) {
        Path parent = path.getParent();
        return parent != null && backendDir.equals(parent.getParent()) && parent.getFileName().toString().startsWith("chk-");
    }

    private static void await(CountDownLatch latch, String what) {
        try {
            if (!latch.await(LATCH_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("timed out waiting for " + what);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what, e);
        }
    }

    /** Equality of two states, failing with their sizes and the first differing keys rather than both maps. */
    private static void assertSameState(Map<Integer, Long> expected, Map<Integer, Long> actual, String message) {
        if (expected.equals(actual)) {
            return;
        }
        List<String> diffs = new java.util.ArrayList<>();
        for (int key = 0; key < KEYS && diffs.size() < 5; key++) {
            if (!java.util.Objects.equals(expected.get(key), actual.get(key))) {
                diffs.add("key " + key + ": expected " + expected.get(key) + ", got " + actual.get(key));
            }
        }
        throw new AssertionError(message + ": expected " + expected.size() + " keys, got " + actual.size()
                + "; first differences: " + diffs);
    }

    @Test
    void anUploadListingDuringCloseNeverYieldsACheckpointThatRestoresEmpty() throws Exception {
        CheckpointedSnapshots checkpoints = new CheckpointedSnapshots(tmp.resolve("checkpoints"), 2);
        Map<Integer, Long> oracle = new HashMap<>();
        RocksDbKeyedStateBackend b = backend();
        addOne(b, oracle, 0, KEYS);
        checkpoints.checkpoint(b); // checkpoint 1: the baseline holds these SST files
        addOne(b, oracle, 0, KEYS / 10);
        Map<Integer, Long> atBarrier = new HashMap<>(oracle);
        KeyedStateBackend.PendingSnapshot second = b.snapshot(); // the synchronous part of checkpoint 2
        Path dir = b.directory();

        // The close stops at the first SST of the local checkpoint (its small files already deleted) until the
        // upload has finished; the upload lists only once the small files are gone (or the close is over).
        CountDownLatch listing = new CountDownLatch(1);
        CountDownLatch smallFilesGone = new CountDownLatch(1);
        CountDownLatch uploadDone = new CountDownLatch(1);
        LifecycleProbe.install(new LifecycleProbe() {
            @Override
            public void beforeListing(Path local) {
                listing.countDown();
                await(smallFilesGone, "the close to delete CURRENT, MANIFEST and OPTIONS");
            }

            @Override
            public void beforeDelete(Path path) {
                if (inLocalCheckpoint(path, dir) && path.getFileName().toString().endsWith(".sst")
                        && smallFilesGone.getCount() > 0) {
                    smallFilesGone.countDown();
                    await(uploadDone, "the upload to finish");
                }
            }

            @Override
            public void afterClose(Path closed) {
                smallFilesGone.countDown(); // the close spared the local checkpoint: let the upload go on
            }
        });
        Future<KeyedStateSnapshot> upload = threads.submit(() -> {
            try {
                return checkpoints.write(null, second);
            } finally {
                uploadDone.countDown();
            }
        });
        await(listing, "the upload to start"); // the upload is under way when the close comes
        Future<?> close = threads.submit(b::close);
        close.get(LATCH_SECONDS * 3, TimeUnit.SECONDS);
        KeyedStateSnapshot written;
        try {
            written = upload.get(LATCH_SECONDS * 3, TimeUnit.SECONDS);
        } catch (ExecutionException failed) {
            return; // declined: the checkpoint does not complete, a restore takes checkpoint 1 (tested elsewhere)
        }
        LifecycleProbe.install(LifecycleProbe.NONE);
        try (RocksDbKeyedStateBackend restored = backend()) {
            restored.restore(List.of(written));
            assertSameState(atBarrier, read(restored), "checkpoint 2 must restore the state at its barrier");
        }
        assertFalse(Files.exists(dir), "the backend's directory is deleted once its last upload is done");
    }

    @Test
    void anUploadStartingAfterCloseFailsAndLeavesNoFiles() throws Exception {
        CheckpointedSnapshots checkpoints = new CheckpointedSnapshots(tmp.resolve("checkpoints"), 2);
        RocksDbKeyedStateBackend b = backend();
        addOne(b, new HashMap<>(), 0, KEYS);
        KeyedStateBackend.PendingSnapshot pending = b.snapshot();
        b.close();
        IOException e = assertThrows(IOException.class, () -> checkpoints.write(null, pending));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertFalse(Files.exists(b.directory()), "nothing of the backend is left");
    }

    @Test
    void anUploadOfAnIncompleteLocalCheckpointIsDeclinedNamingWhatIsMissing() throws Exception {
        CheckpointedSnapshots checkpoints = new CheckpointedSnapshots(tmp.resolve("checkpoints"), 2);
        for (String missing : List.of("CURRENT", "MANIFEST-", "OPTIONS-")) {
            try (RocksDbKeyedStateBackend b = backend()) {
                addOne(b, new HashMap<>(), 0, KEYS);
                KeyedStateBackend.PendingSnapshot pending = b.snapshot();
                LifecycleProbe.install(new LifecycleProbe() {
                    @Override
                    public void beforeListing(Path local) {
                        try (var files = Files.list(local)) {
                            for (Path f : files.toList()) {
                                if (f.getFileName().toString().startsWith(missing)) {
                                    Files.delete(f); // as a concurrent deletion would
                                }
                            }
                        } catch (IOException e) {
                            throw new AssertionError(e);
                        }
                    }
                });
                IOException e = assertThrows(IOException.class, () -> checkpoints.write(null, pending), missing);
                assertTrue(e.getMessage().contains("incomplete") && e.getMessage().contains(missing), e.getMessage());
                LifecycleProbe.install(LifecycleProbe.NONE);
            }
        }
    }

    @Test
    void aRestoreRefusesAFileSetThatIsNotAWholeDatabase() throws Exception {
        CheckpointedSnapshots checkpoints = new CheckpointedSnapshots(tmp.resolve("checkpoints"), 2);
        KeyedStateSnapshot whole;
        try (RocksDbKeyedStateBackend b = backend()) {
            addOne(b, new HashMap<>(), 0, KEYS);
            whole = checkpoints.checkpoint(b);
        }
        for (String dropped : List.of("CURRENT", "MANIFEST-", "OPTIONS-")) {
            var files = whole.files();
            var kept = files.files().stream().filter(f -> !f.localName().startsWith(dropped)).toList();
            assertTrue(kept.size() < files.files().size(), "the snapshot has a " + dropped + " file");
            KeyedStateSnapshot partial = KeyedStateSnapshot.ofFiles(new io.sluice.runtime.state.KeyedStateFiles(
                    files.format(), files.range(), kept, files.meta(), files.reader()));
            try (RocksDbKeyedStateBackend restored = backend()) {
                IOException checked = assertThrows(IOException.class, () -> restored.checkRestorable(partial), dropped);
                assertTrue(checked.getMessage().contains(dropped) && checked.getMessage().contains("key groups [0, 16)"),
                        checked.getMessage());
                IOException e = assertThrows(IOException.class, () -> restored.restore(List.of(partial)), dropped);
                assertTrue(e.getMessage().contains(dropped), e.getMessage());
            }
        }
        try (RocksDbKeyedStateBackend restored = backend()) {
            restored.checkRestorable(whole);
            restored.restore(List.of(whole));
            assertEquals(KEYS, read(restored).size(), "the whole file set restores");
        }
    }
}
