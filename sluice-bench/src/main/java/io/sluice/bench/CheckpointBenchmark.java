package io.sluice.bench;

import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.Types;
import io.sluice.runtime.checkpoint.CheckpointSnapshotFiles;
import io.sluice.runtime.checkpoint.OperatorSubtaskState;
import io.sluice.runtime.checkpoint.storage.CheckpointWriter;
import io.sluice.runtime.checkpoint.storage.CompletedCheckpoint;
import io.sluice.runtime.checkpoint.storage.CompletedCheckpointStore;
import io.sluice.runtime.checkpoint.storage.FileSystemCheckpointStorage;
import io.sluice.runtime.checkpoint.storage.StateFileHandle;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyedStateBackend;
import io.sluice.runtime.state.KeyedStateSnapshot;
import io.sluice.runtime.state.heap.HeapKeyedStateBackend;
import io.sluice.runtime.state.operator.OperatorStateSnapshot;
import io.sluice.state.rocksdb.RocksDbKeyedStateBackend;
import io.sluice.state.rocksdb.RocksDbOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checkpoint size and duration of one keyed operator's state: RocksDB full snapshots, RocksDB incremental snapshots,
 * and the heap backend's (full) snapshots for reference, at the same state and the same changes. Each backend holds
 * {@code ValueState<byte[]>} for every key (default 10^6 keys, 100-byte pseudo-random values); between checkpoints the
 * same 1% of keys (a new random choice each time) get new values in all three. Each checkpoint is written into its own
 * {@link FileSystemCheckpointStorage} the way a task and the coordinator do: the synchronous part
 * ({@code backend.snapshot()}), the asynchronous part ({@code write} through {@link CheckpointSnapshotFiles}, then the
 * operator's state file), then {@link CompletedCheckpointStore#complete} (retaining 2) and
 * {@code notifyCheckpointComplete}. The three run alternately (rotating order) in one process, single-threaded.
 *
 * <p>Reported for checkpoints 2..N (checkpoint 1 uploads everything in every mode): synchronous time, asynchronous
 * time, time to complete, bytes newly written to storage (private files and shared files no earlier checkpoint
 * named, plus the metadata) and the checkpoint's total size (every file it names). Reported, never asserted.
 *
 * <p>Usage: {@code bin/sluice bench checkpoint [keys] [checkpoints] [changed-percent] [value-bytes] [rocksdb-memory]
 * [dir] [rocksdb.KEY=VALUE...]} (defaults 1,000,000, 12, 1, 100, 64mb, {@code java.io.tmpdir}); trailing
 * {@code KEY=VALUE} arguments are RocksDB state backend options ({@code rocksdb.incremental} is set by the benchmark).
 */
public final class CheckpointBenchmark {
    private static final String UID = "bench-keyed";
    private static final int MAX_PARALLELISM = 128;

    private final int keyCount;
    private final int valueBytes;
    private final Long[] keys;

    private CheckpointBenchmark(int keyCount, int valueBytes) {
        this.keyCount = keyCount;
        this.valueBytes = valueBytes;
        keys = new Long[keyCount];
        for (int i = 0; i < keyCount; i++) {
            keys[i] = (long) i * 7919;
        }
    }

    /** One backend writing its checkpoints into its own storage, with its figures. */
    private static final class Side {
        final String name;
        final KeyedStateBackend backend;
        final ValueState<byte[]> state;
        final FileSystemCheckpointStorage storage;
        final CompletedCheckpointStore store;
        final Path rocksDir;
        Set<String> previousShared = Set.of();
        final List<Double> syncMs = new ArrayList<>();
        final List<Double> asyncMs = new ArrayList<>();
        final List<Double> completeMs = new ArrayList<>();
        final List<Double> newBytes = new ArrayList<>();
        final List<Double> totalBytes = new ArrayList<>();
        final List<Double> newFiles = new ArrayList<>();

        Side(String name, KeyedStateBackend backend, Path storageDir, Path rocksDir) throws Exception {
            this.name = name;
            this.backend = backend;
            this.state = backend.getState(new ValueStateDescriptor<>("value", Types.BYTES));
            this.storage = new FileSystemCheckpointStorage(storageDir);
            this.store = CompletedCheckpointStore.open(storage, 2, false);
            this.rocksDir = rocksDir;
        }
    }

    public static void main(String[] allArgs) throws Exception {
        String[] args = BenchSupport.positional(allArgs);
        Map<String, String> rocksOptions = BenchSupport.options(allArgs);
        // the checkpoint store logs each open at INFO; keep the report readable
        System.setProperty("org.slf4j.simpleLogger.log.io.sluice.runtime.checkpoint", "warn");
        int keyCount = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int checkpoints = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        double changedPercent = args.length > 2 ? Double.parseDouble(args[2]) : 1;
        int valueBytes = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        long memory = BenchSupport.bytes(args.length > 4 ? args[4] : "64mb");
        Path base = Path.of(args.length > 5 ? args[5] : System.getProperty("java.io.tmpdir"));
        if (checkpoints < 2) {
            throw new IllegalArgumentException("at least 2 checkpoints: the first one is not reported");
        }
        int changed = (int) Math.round(keyCount * changedPercent / 100);
        System.out.printf(Locale.ROOT, "checkpoints of ValueState<byte[%d]>: %,d keys, %,d keys (%.2f%%) changed between "
                        + "checkpoints, %d checkpoints (reported: 2..%d), RocksDB memory budget %s, files under %s%n",
                valueBytes, keyCount, changed, changedPercent, checkpoints, checkpoints, BenchSupport.mib(memory), base);
        RocksDbOptions options = RocksDbOptions.fromMap(rocksOptions).withMemoryBudget(memory);
        System.out.println("RocksDB options: " + options);
        System.out.println(BenchSupport.machine());
        Files.createDirectories(base);
        Path dir = Files.createTempDirectory(base, "sluice-bench-checkpoint-");
        CheckpointBenchmark b = new CheckpointBenchmark(keyCount, valueBytes);
        KeyGroupRange range = new KeyGroupRange(0, MAX_PARALLELISM);
        List<Side> sides = new ArrayList<>();
        try {
            Path rocksFullDir = Files.createDirectories(dir.resolve("rocksdb-full-local"));
            Path rocksIncDir = Files.createDirectories(dir.resolve("rocksdb-incremental-local"));
            sides.add(new Side("heap (full)", new HeapKeyedStateBackend(range, MAX_PARALLELISM, Types.LONG, () -> 0L),
                    dir.resolve("heap-checkpoints"), null));
            sides.add(new Side("RocksDB full", new RocksDbKeyedStateBackend(range, MAX_PARALLELISM, Types.LONG, () -> 0L,
                    rocksFullDir, options.withIncremental(false)),
                    dir.resolve("rocksdb-full-checkpoints"), rocksFullDir));
            sides.add(new Side("RocksDB incremental", new RocksDbKeyedStateBackend(range, MAX_PARALLELISM, Types.LONG,
                    () -> 0L, rocksIncDir, options.withIncremental(true)),
                    dir.resolve("rocksdb-incremental-checkpoints"), rocksIncDir));
            long t0 = System.nanoTime();
            for (int i = 0; i < keyCount; i++) {
                byte[] value = b.value(i, 0);
                for (Side s : sides) {
                    s.backend.setCurrentKey(b.keys[i]);
                    s.state.update(value);
                }
            }
            System.out.printf(Locale.ROOT, "loaded %,d keys into each backend in %.1f s%n", keyCount, (System.nanoTime() - t0) / 1e9);
            for (int id = 1; id <= checkpoints; id++) {
                if (id > 1) {
                    for (int j = 0; j < changed; j++) {
                        int i = BenchSupport.keyIndex(j, 1_000_003L * id, keyCount);
                        byte[] value = b.value(i, id);
                        for (Side s : sides) {
                            s.backend.setCurrentKey(b.keys[i]);
                            s.state.update(value);
                        }
                    }
                }
                for (int k = 0; k < sides.size(); k++) {
                    Side s = sides.get((k + id) % sides.size()); // rotate who goes first
                    checkpoint(s, id);
                }
            }
            System.out.println();
            System.out.println("medians over checkpoints 2.." + checkpoints + " (max in brackets; new bytes: median [max] mean):");
            for (Side s : sides) {
                System.out.printf(Locale.ROOT, "%-20s sync %8.1f ms [%7.1f]  async %8.1f ms [%7.1f]  complete %6.1f ms  "
                                + "new bytes %9s [%9s] %9s  checkpoint size %9s  new files %.0f%n", s.name,
                        BenchSupport.median(s.syncMs), BenchSupport.max(s.syncMs), BenchSupport.median(s.asyncMs),
                        BenchSupport.max(s.asyncMs), BenchSupport.median(s.completeMs),
                        BenchSupport.mib((long) BenchSupport.median(s.newBytes)),
                        BenchSupport.mib((long) BenchSupport.max(s.newBytes)),
                        BenchSupport.mib((long) s.newBytes.stream().mapToDouble(Double::doubleValue).average().orElse(0)),
                        BenchSupport.mib((long) BenchSupport.median(s.totalBytes)), BenchSupport.median(s.newFiles));
                if (s.rocksDir != null) {
                    System.out.printf(Locale.ROOT, "%-20s local RocksDB files now %s%n", "",
                            BenchSupport.mib(BenchSupport.directorySize(s.rocksDir)));
                }
            }
            StringBuilder result = new StringBuilder("RESULT");
            for (Side s : sides) {
                String p = s.name.replaceAll("[^A-Za-z]+", "_").replaceAll("_+$", "").toLowerCase(Locale.ROOT);
                result.append(String.format(Locale.ROOT, " %s_sync_ms=%.1f %s_async_ms=%.1f %s_new_bytes=%.0f "
                                + "%s_new_bytes_mean=%.0f %s_total_bytes=%.0f", p, BenchSupport.median(s.syncMs), p,
                        BenchSupport.median(s.asyncMs), p, BenchSupport.median(s.newBytes), p,
                        s.newBytes.stream().mapToDouble(Double::doubleValue).average().orElse(0), p,
                        BenchSupport.median(s.totalBytes)));
            }
            System.out.println(result);
        } finally {
            for (Side s : sides) {
                s.store.shutdown(CompletedCheckpointStore.Termination.FINISHED);
                s.backend.close();
            }
            BenchSupport.deleteRecursively(dir);
        }
    }

    /** A {@code valueBytes}-long value of key index {@code i} at version {@code version}: pseudo-random, incompressible. */
    private byte[] value(int i, long version) {
        byte[] v = new byte[valueBytes];
        long x = (i * 0x9E3779B97F4A7C15L) ^ (version * 0xBF58476D1CE4E5B9L);
        for (int p = 0; p < v.length; p++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            v[p] = (byte) x;
        }
        return v;
    }

    /** One checkpoint as task and coordinator write it; records the figures from checkpoint 2 on. */
    private static void checkpoint(Side s, long id) throws Exception {
        long t0 = System.nanoTime();
        KeyedStateBackend.PendingSnapshot pending = s.backend.snapshot();
        long t1 = System.nanoTime();
        CheckpointWriter w = s.storage.begin(id);
        KeyedStateSnapshot keyed = pending.write(new CheckpointSnapshotFiles(w));
        w.writeFile(OperatorSubtaskState.fileName(UID, 0),
                new OperatorSubtaskState(UID, 0, 1, keyed, new OperatorStateSnapshot(Map.of()), null).toBytes());
        long t2 = System.nanoTime();
        CompletedCheckpoint cp = s.store.complete(w, new byte[0]);
        s.backend.notifyCheckpointComplete(id);
        long t3 = System.nanoTime();
        long metadata = Files.size(s.storage.checkpointDirectory(id).resolve("_metadata"));
        long total = metadata;
        long fresh = metadata;
        int freshFiles = 1;
        Set<String> shared = new HashSet<>();
        for (StateFileHandle f : cp.files()) {
            total += f.size();
            boolean isShared = f.scope() == StateFileHandle.Scope.SHARED;
            if (isShared) {
                shared.add(f.name());
            }
            if (!isShared || !s.previousShared.contains(f.name())) {
                fresh += f.size();
                freshFiles++;
            }
        }
        s.previousShared = shared;
        double sync = (t1 - t0) / 1e6;
        double async = (t2 - t1) / 1e6;
        double complete = (t3 - t2) / 1e6;
        System.out.printf(Locale.ROOT, "checkpoint %2d %-20s sync %8.1f ms  async %8.1f ms  complete %6.1f ms  new %9s in %3d "
                        + "files  size %9s in %3d files%n", id, s.name, sync, async, complete, BenchSupport.mib(fresh),
                freshFiles, BenchSupport.mib(total), cp.files().size() + 1);
        if (id > 1) {
            s.syncMs.add(sync);
            s.asyncMs.add(async);
            s.completeMs.add(complete);
            s.newBytes.add((double) fresh);
            s.totalBytes.add((double) total);
            s.newFiles.add((double) freshFiles);
        }
    }
}
