package io.sluice.state.rocksdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.Types;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyedStateBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A capture whose checkpoint was aborted is released at once (the runtime calls {@code PendingSnapshot.release}):
 * a full snapshot unpins its RocksDB snapshot, an incremental one deletes its local checkpoint. Before, both stayed
 * until the backend closed, so every aborted checkpoint of a long job kept old versions or hard-linked files alive.
 */
class AbortedSnapshotReleaseTest {
    private static final int MAX_PARALLELISM = 8;

    @TempDir
    Path tmp;

    private RocksDbKeyedStateBackend backend(boolean incremental) throws IOException {
        RocksDbKeyedStateBackend b = new RocksDbKeyedStateBackend(new KeyGroupRange(0, MAX_PARALLELISM), MAX_PARALLELISM,
                Types.INT, () -> 0L, tmp.resolve("local"),
                RocksDbOptions.defaults().withMemoryBudget(16L << 20).withIncremental(incremental));
        ValueState<Long> count = b.getState(new ValueStateDescriptor<>("count", Types.LONG, 0L));
        for (int key = 0; key < 1_000; key++) {
            b.setCurrentKey(key);
            count.update((long) key);
        }
        return b;
    }

    private static long localCheckpoints(Path backendDir) throws IOException {
        try (Stream<Path> files = Files.list(backendDir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("chk-")).count();
        }
    }

    @Test
    void aReleasedFullSnapshotUnpinsItsRocksDbSnapshot() throws Exception {
        try (RocksDbKeyedStateBackend b = backend(false)) {
            KeyedStateBackend.PendingSnapshot first = b.snapshot();
            KeyedStateBackend.PendingSnapshot second = b.snapshot();
            assertEquals(2, b.liveRocksSnapshots());
            first.release();
            assertEquals(1, b.liveRocksSnapshots(), "the released one is gone, the other still pinned");
            first.release(); // once is enough
            assertEquals(1, b.liveRocksSnapshots());
            second.write();
            assertEquals(0, b.liveRocksSnapshots(), "a written one is released by its write");
            second.release(); // after the write: nothing
            assertEquals(0, b.liveRocksSnapshots());
        }
    }

    @Test
    void aReleasedIncrementalSnapshotDeletesItsLocalCheckpoint() throws Exception {
        try (RocksDbKeyedStateBackend b = backend(true)) {
            KeyedStateBackend.PendingSnapshot aborted = b.snapshot();
            assertEquals(1, localCheckpoints(b.directory()));
            aborted.release();
            assertEquals(0, localCheckpoints(b.directory()), "the aborted checkpoint's hard links are gone");
            aborted.release();
            assertTrue(Files.exists(b.directory().resolve("db")), "the database itself is untouched");
        }
    }

    @Test
    void aReleaseAfterCloseDoesNothing() throws Exception {
        RocksDbKeyedStateBackend full = backend(false);
        KeyedStateBackend.PendingSnapshot a = full.snapshot();
        RocksDbKeyedStateBackend incremental = backend(true);
        KeyedStateBackend.PendingSnapshot b = incremental.snapshot();
        full.close();
        incremental.close();
        a.release();
        b.release();
        assertFalse(Files.exists(incremental.directory()));
    }
}
