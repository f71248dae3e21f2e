package io.sluice.state.rocksdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.Types;
import io.sluice.runtime.checkpoint.CheckpointSnapshotFiles;
import io.sluice.runtime.checkpoint.storage.CheckpointWriter;
import io.sluice.runtime.checkpoint.storage.CompletedCheckpoint;
import io.sluice.runtime.checkpoint.storage.CompletedCheckpointStore;
import io.sluice.runtime.checkpoint.storage.FileSystemCheckpointStorage;
import io.sluice.runtime.checkpoint.storage.StateFileHandle;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyGroups;
import io.sluice.runtime.state.KeyedStateBackend;
import io.sluice.runtime.state.KeyedStateFiles;
import io.sluice.runtime.state.KeyedStateSnapshot;
import io.sluice.runtime.state.SnapshotFileWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incremental checkpoints of the RocksDB backend in a real checkpoint storage with retention 2: later checkpoints
 * upload only new SST files and name the rest again; shared files are deleted once no retained checkpoint names them;
 * a crash in the middle of an upload (the writer simply stops: no abort, as when the process dies) never leaves a
 * retained checkpoint naming a missing file; every retained checkpoint restores exactly, also into other key-group
 * ranges.
 */
class RocksDbIncrementalCheckpointTest {
    private static final int MAX_PARALLELISM = 32;
    private static final int KEYS = 20_000;
    private static final ValueStateDescriptor<Long> COUNT = new ValueStateDescriptor<>("count", Types.LONG, 0L);

    @TempDir
    Path tmp;

    private RocksDbKeyedStateBackend backend(KeyGroupRange range) throws IOException {
        return new RocksDbKeyedStateBackend(range, MAX_PARALLELISM, Types.INT, () -> 0L, tmp.resolve("local"),
                RocksDbOptions.defaults().withMemoryBudget(16L << 20).withIncremental(true));
    }

    /** Adds 1 to the count of {@code changes} random keys, in the backend and the oracle. */
    private static void change(KeyedStateBackend b, Map<Integer, Long> oracle, Random random, int changes) {
        ValueState<Long> count = b.getState(COUNT);
        for (int i = 0; i < changes; i++) {
            int key = random.nextInt(KEYS);
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

    /** Writes {@code b}'s snapshot as checkpoint {@code id}; the writer stops after {@code crashAfter} files (-1: never). */
    private static KeyedStateSnapshot checkpoint(FileSystemCheckpointStorage storage, CompletedCheckpointStore store,
            KeyedStateBackend b, long id, int crashAfter) throws IOException {
        CheckpointWriter writer = storage.begin(id);
        SnapshotFileWriter files = new CheckpointSnapshotFiles(writer);
        KeyedStateSnapshot snapshot = b.snapshot().write(crashAfter < 0 ? files : new Crashing(files, crashAfter));
        store.complete(writer, new byte[0]);
        b.notifyCheckpointComplete(id);
        return snapshot;
    }

    private static KeyedStateSnapshot readable(KeyedStateSnapshot s, CompletedCheckpoint from) {
        return new KeyedStateSnapshot(s.keyGroups(), s.files().withReader(from::openFile));
    }

    private static Set<String> sharedNames(KeyedStateSnapshot s) {
        Set<String> names = new HashSet<>();
        for (KeyedStateFiles.File f : s.files().files()) {
            if (f.handle().scope() == StateFileHandle.Scope.SHARED) {
                names.add(f.handle().name());
            }
        }
        return names;
    }

    private static Set<String> filesIn(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return new HashSet<>(list.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void laterCheckpointsUploadOnlyNewFilesAndEveryRetainedOneRestoresExactly() throws Exception {
        Random random = new Random(7);
        Path root = tmp.resolve("checkpoints");
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root);
        CompletedCheckpointStore store = CompletedCheckpointStore.open(storage, 2, false);
        Map<Integer, Long> oracle = new HashMap<>();
        Map<Long, Map<Integer, Long>> oracleAt = new HashMap<>();
        Map<Long, KeyedStateSnapshot> snapshots = new HashMap<>();
        try (RocksDbKeyedStateBackend b = backend(new KeyGroupRange(0, MAX_PARALLELISM))) {
            change(b, oracle, random, 50_000);
            Set<String> previous = Set.of();
            int mostlyReused = 0;
            for (long id = 1; id <= 6; id++) {
                if (id > 1) {
                    change(b, oracle, random, KEYS / 100); // 1% of the keys
                }
                KeyedStateSnapshot s = checkpoint(storage, store, b, id, -1);
                snapshots.put(id, s);
                oracleAt.put(id, new HashMap<>(oracle));
                Set<String> shared = sharedNames(s);
                if (id > 1) {
                    Set<String> before = previous;
                    long newBytes = s.files().files().stream()
                            .filter(f -> f.handle().scope() == StateFileHandle.Scope.SHARED && !before.contains(f.handle().name()))
                            .mapToLong(f -> f.handle().size()).sum();
                    // A compaction rewrites the SST files it merges, so such a checkpoint uploads them again; the
                    // others upload just the flushed 1%.
                    if (newBytes * 2 < s.files().sizeBytes()) {
                        mostlyReused++;
                    }
                }
                previous = shared;
                // Only the files of the retained checkpoints stay in shared/.
                Set<String> named = new HashSet<>();
                for (CompletedCheckpoint c : store.retained()) {
                    named.addAll(sharedNames(snapshots.get(c.checkpointId())));
                    c.verify();
                }
                assertEquals(named, filesIn(root.resolve("shared")), "after checkpoint " + id);
            }
            assertTrue(mostlyReused >= 3, "only " + mostlyReused + " of 5 checkpoints uploaded less than half their bytes");
        }
        for (CompletedCheckpoint c : store.retained()) {
            KeyedStateSnapshot s = readable(snapshots.get(c.checkpointId()), c);
            try (RocksDbKeyedStateBackend whole = backend(new KeyGroupRange(0, MAX_PARALLELISM))) {
                whole.restore(List.of(s));
                assertEquals(oracleAt.get(c.checkpointId()), read(whole), "checkpoint " + c.checkpointId());
            }
            Map<Integer, Long> union = new HashMap<>();
            for (int sub = 0; sub < 3; sub++) {
                try (RocksDbKeyedStateBackend part = backend(KeyGroupRange.of(sub, 3, MAX_PARALLELISM))) {
                    part.restore(List.of(s));
                    union.putAll(read(part));
                    assertEquals(0, part.entryCount("count") - read(part).size(),
                            "subtask " + sub + " kept entries of key groups it does not own (checkpoint " + c.checkpointId() + ")");
                }
            }
            assertEquals(oracleAt.get(c.checkpointId()), union, "checkpoint " + c.checkpointId() + " restored at parallelism 3");
        }
    }

    @Test
    void aCrashDuringTheUploadLeavesNoRetainedCheckpointNamingAMissingFile() throws Exception {
        long seed = 20_261_124L;
        Random random = new Random(seed);
        Path root = tmp.resolve("checkpoints");
        Map<Integer, Long> oracle = new HashMap<>();
        Map<Long, Map<Integer, Long>> oracleAt = new HashMap<>();
        Map<Long, KeyedStateSnapshot> snapshots = new HashMap<>();
        long id = 0;
        int crashes = 0;
        RocksDbKeyedStateBackend b = backend(new KeyGroupRange(0, MAX_PARALLELISM));
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root);
        CompletedCheckpointStore store = CompletedCheckpointStore.open(storage, 2, false);
        try {
            change(b, oracle, random, 30_000);
            for (int round = 0; round < 14; round++) {
                String where = "seed " + seed + ", round " + round;
                change(b, oracle, random, KEYS / 100);
                id++;
                boolean crash = round > 1 && random.nextInt(3) == 0;
                if (!crash) {
                    snapshots.put(id, checkpoint(storage, store, b, id, -1));
                    oracleAt.put(id, new HashMap<>(oracle));
                    continue;
                }
                int crashAfter = random.nextInt(4);
                try {
                    checkpoint(storage, store, b, id, crashAfter);
                    throw new AssertionError(where + ": the upload did not crash");
                } catch (Crashing.Crash expected) {
                    crashes++;
                }
                // The process "died": a new one opens the store (removing the torn checkpoint and its shared files)
                // and restores the newest retained checkpoint.
                b.close();
                storage = new FileSystemCheckpointStorage(root);
                store = CompletedCheckpointStore.open(storage, 2, false);
                Set<String> named = new HashSet<>();
                for (CompletedCheckpoint c : store.retained()) {
                    c.verify(); // every file it names is there, whole
                    named.addAll(sharedNames(snapshots.get(c.checkpointId())));
                }
                assertEquals(named, filesIn(root.resolve("shared")), where + ": shared files after the crash");
                CompletedCheckpoint latest = store.latest().orElseThrow();
                b = backend(new KeyGroupRange(0, MAX_PARALLELISM));
                b.restore(List.of(readable(snapshots.get(latest.checkpointId()), latest)));
                oracle = new HashMap<>(oracleAt.get(latest.checkpointId()));
                assertEquals(oracle, read(b), where + ": restored checkpoint " + latest.checkpointId());
                id = latest.checkpointId() + 100 * (crashes); // a new run numbers its checkpoints after the old ones
            }
            assertTrue(crashes >= 2, "seed " + seed + ": only " + crashes + " crashes");
        } finally {
            b.close();
        }
    }

    /** Passes calls on, then throws {@link Crash} instead of the call after the first {@code limit}. */
    private static final class Crashing implements SnapshotFileWriter {
        static final class Crash extends RuntimeException {
            Crash() {
                super("simulated crash during the upload");
            }
        }

        private final SnapshotFileWriter target;
        private int left;

        Crashing(SnapshotFileWriter target, int limit) {
            this.target = target;
            this.left = limit;
        }

        private void step() {
            if (left-- <= 0) {
                throw new Crash();
            }
        }

        @Override
        public long checkpointId() {
            return target.checkpointId();
        }

        @Override
        public StateFileHandle writeShared(String name, Path source) throws IOException {
            step();
            return target.writeShared(name, source);
        }

        @Override
        public StateFileHandle referenceShared(StateFileHandle file) throws IOException {
            step();
            return target.referenceShared(file);
        }

        @Override
        public StateFileHandle writePrivate(String name, Path source) throws IOException {
            step();
            return target.writePrivate(name, source);
        }
    }
}
