package io.sluice.state.rocksdb;

import io.sluice.runtime.checkpoint.storage.StateFileHandle;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyedStateBackend.PendingSnapshot;
import io.sluice.runtime.state.KeyedStateFiles;
import io.sluice.runtime.state.KeyedStateSnapshot;
import io.sluice.runtime.state.SnapshotFileWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.FlushOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * Incremental snapshots of one backend's database. The synchronous part flushes the memtables and takes a RocksDB
 * checkpoint (hard links to the immutable SST files, copies of the small manifest and options files) in a local
 * directory. The asynchronous part uploads each SST file the last completed checkpoint did not already hold as a new
 * shared file, names the others again ({@link SnapshotFileWriter#referenceShared}), writes the remaining files as
 * private files, and deletes the local directory.
 *
 * <p>Uploaded file names are {@code rdb-<instance>-<checkpoint id>-<local file>}, the instance being a random id
 * per backend: SST files are never rewritten under the same number within one database, and a restored database
 * starts a new instance, so a name always means the same bytes.
 *
 * <p>Life cycle: a local checkpoint belongs to its upload, not to the backend. The upload takes it over from the
 * backend's {@link UploadGuard} before reading it (which fails once the backend is closed: the task is gone, and so is
 * the point of its checkpoint) and deletes it when done; the backend's close deletes every local checkpoint except
 * those an upload holds. An upload also checks that what it lists is a whole RocksDB checkpoint (CURRENT, the
 * MANIFEST it names, OPTIONS) and declines otherwise: SST files alone restore as an empty database.
 *
 * <p>Threading: {@link #capture} on the task thread; {@link PendingSnapshot#write} on any one thread; the baseline
 * is guarded by this object, as {@link #notifyComplete} runs on the task thread.
 */
final class IncrementalSnapshots {
    static final String FORMAT = "rocksdb-incremental";

    private final String instance = UUID.randomUUID().toString().replace("-", "");
    private final Path localRoot;
    private final KeyGroupRange range;
    private final UploadGuard guard;
    private long localSequence;
    /** SST file → where the newest completed checkpoint holds it. */
    private Map<String, StateFileHandle> baseline = Map.of();
    /** Checkpoint id → the SST files its snapshot uploaded or named, until it completes or a newer one does. */
    private final Map<Long, Map<String, StateFileHandle>> written = new HashMap<>();

    /**
     * Who owns a local checkpoint while it waits for its upload: the backend, until an upload takes it over. Both
     * methods are called on the uploading thread.
     */
    interface UploadGuard {
        /**
         * Hands {@code localCheckpoint} over to its upload, so that a close from now on leaves it alone.
         *
         * @throws IOException when the backend is closed (its close deleted the local checkpoint, or is deleting it)
         */
        void acquire(Path localCheckpoint) throws IOException;

        /** The upload of {@code localCheckpoint} is over: deletes it (and, once closed, what the close left). */
        void release(Path localCheckpoint);

        /** {@code localCheckpoint} will never be uploaded (its checkpoint was aborted): deletes it unless an upload holds it. */
        void discard(Path localCheckpoint);
    }

    IncrementalSnapshots(Path localRoot, KeyGroupRange range, UploadGuard guard) {
        this.localRoot = localRoot;
        this.range = range;
        this.guard = guard;
    }

    /** {@link #capture(RocksDB, List, FilesMeta)} of the given state and timer columns, described in the meta file. */
    PendingSnapshot capture(RocksDB db, Iterable<StateColumn> states, List<TimerColumn> timers,
            Map<String, List<RocksSnapshotWriter.RawSegment>> unregisteredTimers, long time) throws IOException {
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        List<FilesMeta.State> stateMeta = new ArrayList<>();
        for (StateColumn c : states) {
            handles.add(c.handle);
            stateMeta.add(c.meta());
        }
        List<FilesMeta.Timers> timerMeta = new ArrayList<>();
        for (TimerColumn t : timers) {
            handles.add(t.handle);
            timerMeta.add(t.meta());
        }
        return capture(db, handles, new FilesMeta(stateMeta, timerMeta, unregisteredTimers, time));
    }

    /** The synchronous part: flush, then hard-link the database's files into a new local checkpoint directory. */
    PendingSnapshot capture(RocksDB db, List<ColumnFamilyHandle> columns, FilesMeta meta) throws IOException {
        Path local = localRoot.resolve("chk-" + (++localSequence));
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true); Checkpoint checkpoint = Checkpoint.create(db)) {
            if (!columns.isEmpty()) {
                db.flush(flush, columns);
            }
            checkpoint.createCheckpoint(local.toString());
        } catch (RocksDBException e) {
            deleteQuietly(local);
            throw new IOException("cannot take a RocksDB checkpoint in " + local + ": " + e.getMessage(), e);
        }
        return new LocalCheckpointUpload(local, meta.encode());
    }

    /** The asynchronous part of one incremental snapshot: uploads its local checkpoint once, or discards it. */
    private final class LocalCheckpointUpload implements PendingSnapshot {
        private final Path local;
        private final byte[] meta;

        LocalCheckpointUpload(Path local, byte[] meta) {
            this.local = local;
            this.meta = meta;
        }

        @Override
        public KeyedStateSnapshot write(SnapshotFileWriter files) throws IOException {
            guard.acquire(local);
            try {
                return upload(local, meta, files);
            } finally {
                LifecycleProbe.current().afterUpload(local);
                guard.release(local);
            }
        }

        /** Deletes the local checkpoint of an aborted checkpoint now, not when the backend closes. */
        @Override
        public void release() {
            guard.discard(local);
        }
    }

    /** Checkpoint {@code checkpointId} completed: its SST files are the baseline of the next snapshots. */
    synchronized void notifyComplete(long checkpointId) {
        Map<String, StateFileHandle> completed = written.remove(checkpointId);
        if (completed != null) {
            baseline = completed;
        }
        written.keySet().removeIf(id -> id < checkpointId);
    }

    private synchronized Map<String, StateFileHandle> baseline() {
        return baseline;
    }

    private synchronized void recordWritten(long checkpointId, Map<String, StateFileHandle> ssts) {
        written.put(checkpointId, ssts);
    }

    private KeyedStateSnapshot upload(Path local, byte[] meta, SnapshotFileWriter target) throws IOException {
        Map<String, StateFileHandle> known = baseline();
        Map<String, StateFileHandle> ssts = new HashMap<>();
        List<KeyedStateFiles.File> files = new ArrayList<>();
        List<Path> entries;
        LifecycleProbe.current().beforeListing(local);
        try (Stream<Path> list = Files.list(local)) {
            entries = list.sorted().toList();
        }
        LifecycleProbe.current().afterListing(local);
        requireComplete(local, entries);
        for (Path p : entries) {
            String name = p.getFileName().toString();
            if (name.endsWith(".log")) {
                continue; // the write-ahead log is off and the memtables were flushed: it holds nothing
            }
            // The checkpoint id keeps the names of concurrent checkpoints' uploads of one SST file apart: a
            // checkpoint that is aborted deletes the shared files it created.
            String stored = "rdb-" + instance + "-" + target.checkpointId() + "-" + name;
            StateFileHandle handle;
            if (name.endsWith(".sst")) {
                handle = sharedFile(target, known.get(name), stored, p);
                ssts.put(name, handle);
            } else {
                handle = target.writePrivate(stored, p);
            }
            files.add(new KeyedStateFiles.File(name, handle));
        }
        recordWritten(target.checkpointId(), ssts);
        return KeyedStateSnapshot.ofFiles(new KeyedStateFiles(FORMAT, range, files, meta, null));
    }

    /**
     * Fails unless {@code entries} are a whole RocksDB checkpoint: CURRENT, the MANIFEST it names, and an OPTIONS file.
     * Without them the SST files would restore as an empty database.
     */
    private static void requireComplete(Path local, List<Path> entries) throws IOException {
        List<String> names = entries.stream().map(p -> p.getFileName().toString()).toList();
        Optional<String> missing = CheckpointFileSet.missingFile(names,
                () -> Files.readString(local.resolve(CheckpointFileSet.CURRENT)));
        if (missing.isPresent()) {
            throw new IOException("incomplete RocksDB checkpoint in " + local + ": no " + missing.get() + " (files: " + names
                    + "); declined rather than stored");
        }
    }

    /** Names the file again if the baseline holds it and the target storage still has it; otherwise uploads it. */
    private static StateFileHandle sharedFile(SnapshotFileWriter target, StateFileHandle previous, String name, Path source)
            throws IOException {
        if (previous != null) {
            try {
                return target.referenceShared(previous);
            } catch (IOException e) {
                // Deleted meanwhile, or another storage (a savepoint directory): write it again below.
            }
        }
        return target.writeShared(name, source);
    }

    static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // The backend's directory is deleted when it closes; a leftover here is removed then.
        }
    }
}
