package io.sluice.state.rocksdb;

import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyedStateFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * Restores a backend from incremental snapshots ({@link IncrementalSnapshots}). The snapshot sharing the most key
 * groups with the backend becomes its database: its files are downloaded into the database directory and opened as
 * they are, and {@code deleteRange} drops the key groups outside the backend's range (no key is read or rewritten).
 * Every other snapshot overlapping the range (rescaling merges several) is downloaded into a temporary database whose
 * overlapping key-group range is copied over, then deleted. Runs on the task thread before any state is used.
 */
final class IncrementalRestore {
    private static final int BATCH_BYTES = 4 << 20;

    private final RocksDbKeyedStateBackend backend;
    private final KeyGroupRange range;
    private int temporaries;

    IncrementalRestore(RocksDbKeyedStateBackend backend) {
        this.backend = backend;
        this.range = backend.keyGroupRange();
    }

    /** The number of key groups {@code files} holds that this backend owns. */
    int overlap(KeyedStateFiles files) {
        return Math.max(0, Math.min(range.end(), files.range().end()) - Math.max(range.first(), files.range().first()));
    }

    /** Replaces the (empty) database with {@code files}' database, keeping only this backend's key groups. */
    void openAsDatabase(KeyedStateFiles files) throws IOException {
        FilesMeta meta = FilesMeta.decode(files.meta());
        backend.closeDatabase();
        Path dir = backend.databasePath();
        IncrementalSnapshots.deleteQuietly(dir);
        download(files, dir);
        try {
            List<ColumnFamilyHandle> handles = backend.openDatabase(columnNames(meta));
            for (int i = 0; i < meta.states().size(); i++) {
                backend.columns().adoptState(meta.states().get(i), handles.get(i));
            }
            for (int i = 0; i < meta.timers().size(); i++) {
                backend.columns().adoptTimers(meta.timers().get(i), handles.get(meta.states().size() + i));
            }
            for (ColumnFamilyHandle handle : handles) {
                dropOutsideRange(handle);
            }
            for (FilesMeta.State state : meta.states()) {
                if (state.ttl()) {
                    dropExpired(backend.columns().stateFor(state), meta.snapshotTime());
                }
            }
        } catch (RocksDBException e) {
            throw new IOException("cannot open the restored RocksDB database in " + dir + ": " + e.getMessage(), e);
        }
        addRawTimers(meta);
    }

    /** Copies the key groups this backend owns out of {@code files}' database. */
    void copyFrom(KeyedStateFiles files) throws IOException {
        FilesMeta meta = FilesMeta.decode(files.meta());
        Path dir = backend.directory().resolve("restore-" + (++temporaries));
        download(files, dir);
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, backend.columnOptions()));
        for (byte[] name : columnNames(meta)) {
            descriptors.add(new ColumnFamilyDescriptor(name, backend.columnOptions()));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (RocksDB source = RocksDB.open(backend.dbOptions(), dir.toString(), descriptors, handles)) {
            try {
                int first = Math.max(range.first(), files.range().first());
                int end = Math.min(range.end(), files.range().end());
                for (int i = 0; i < meta.states().size(); i++) {
                    StateColumn to = backend.columns().stateFor(meta.states().get(i));
                    copy(source, handles.get(i + 1), to.handle, first, end, to.ttl ? to.kind : null, meta.snapshotTime());
                }
                for (int i = 0; i < meta.timers().size(); i++) {
                    ColumnFamilyHandle from = handles.get(1 + meta.states().size() + i);
                    copy(source, from, backend.columns().timersFor(meta.timers().get(i)).handle, first, end, null, 0);
                }
            } finally {
                handles.forEach(ColumnFamilyHandle::close);
            }
        } catch (RocksDBException e) {
            throw new IOException("cannot read the restored RocksDB database in " + dir + ": " + e.getMessage(), e);
        } finally {
            IncrementalSnapshots.deleteQuietly(dir);
        }
        addRawTimers(meta);
    }

    /**
     * Copies a key-group range of one column family; with {@code ttlKind} set, only what was live at
     * {@code snapshotTime}.
     */
    private void copy(RocksDB source, ColumnFamilyHandle from, ColumnFamilyHandle to, int firstKeyGroup, int endKeyGroup,
            StateKind ttlKind, long snapshotTime) throws RocksDBException {
        try (RocksIterator it = source.newIterator(from); WriteBatch batch = new WriteBatch()) {
            for (it.seek(keyGroupPrefix(firstKeyGroup)); it.isValid() && Bytes.keyGroupOf(it.key()) < endKeyGroup; it.next()) {
                byte[] value = ttlKind == null ? it.value() : ttlKind.liveAt(it.value(), true, snapshotTime);
                if (value != null) {
                    batch.put(to, it.key(), value);
                }
                if (batch.getDataSize() > BATCH_BYTES) {
                    backend.write(batch);
                    batch.clear();
                }
            }
            it.status();
            backend.write(batch);
        }
    }

    /**
     * Drops what had expired when the snapshot was taken, as a full snapshot leaves it out: a restore whose clock is
     * behind the snapshot's (another machine) must not bring it back.
     */
    private void dropExpired(StateColumn column, long snapshotTime) throws RocksDBException {
        try (RocksIterator it = backend.newIterator(column.handle); WriteBatch batch = new WriteBatch()) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] stored = it.value();
                byte[] live = column.kind.liveAt(stored, true, snapshotTime);
                if (live == null) {
                    batch.delete(column.handle, it.key());
                } else if (live != stored) {
                    batch.put(column.handle, it.key(), live);
                }
                if (batch.getDataSize() > BATCH_BYTES) {
                    backend.write(batch);
                    batch.clear();
                }
            }
            it.status();
            backend.write(batch);
        }
    }

    private void dropOutsideRange(ColumnFamilyHandle handle) throws RocksDBException {
        if (range.first() > 0) {
            backend.deleteRange(handle, keyGroupPrefix(0), keyGroupPrefix(range.first()));
        }
        if (range.end() < backend.maxParallelism()) {
            backend.deleteRange(handle, keyGroupPrefix(range.end()), keyGroupPrefix(backend.maxParallelism()));
        }
    }

    private void addRawTimers(FilesMeta meta) {
        meta.rawTimers().forEach((name, segments) -> {
            for (RocksSnapshotWriter.RawSegment s : segments) {
                if (range.contains(s.keyGroup())) {
                    backend.addRestoredTimers(name, s);
                }
            }
        });
    }

    private static List<byte[]> columnNames(FilesMeta meta) {
        List<byte[]> names = new ArrayList<>();
        for (FilesMeta.State s : meta.states()) {
            names.add(ColumnRegistry.stateColumnName(s.name()));
        }
        for (FilesMeta.Timers t : meta.timers()) {
            names.add(ColumnRegistry.timerColumnName(t.service()));
        }
        return names;
    }

    /** The two-byte prefix of a key group; {@code keyGroup} may be the number of key groups (at most 32768). */
    private static byte[] keyGroupPrefix(int keyGroup) {
        return new byte[] {(byte) (keyGroup >>> 8), (byte) keyGroup};
    }

    /**
     * Refuses a file set that is not a whole RocksDB database by its names (CURRENT, a MANIFEST, OPTIONS), before
     * anything is downloaded; {@link #download} checks that CURRENT names a MANIFEST that is there.
     */
    static void requireWholeDatabase(KeyedStateFiles files) throws IOException {
        List<String> names = files.files().stream().map(KeyedStateFiles.File::localName).toList();
        Optional<String> manifest = names.stream().filter(n -> n.startsWith("MANIFEST-")).findFirst();
        if (manifest.isEmpty()) {
            throw incomplete(files, "MANIFEST-* file");
        }
        Optional<String> missing = CheckpointFileSet.missingFile(names, manifest::get);
        if (missing.isPresent()) {
            throw incomplete(files, missing.get());
        }
    }

    private static IOException incomplete(KeyedStateFiles files, String missing) {
        return new IOException("the RocksDB state of key groups [" + files.range().first() + ", " + files.range().end()
                + ") has no " + missing + " among its " + files.files().size() + " files: it is not a whole database, "
                + "and is refused rather than restored as empty state");
    }

    private static void download(KeyedStateFiles files, Path dir) throws IOException {
        if (files.reader() == null) {
            throw new IllegalStateException("the RocksDB snapshot's files cannot be read: it was not loaded from a checkpoint");
        }
        requireWholeDatabase(files);
        Files.createDirectories(dir);
        List<String> names = new ArrayList<>();
        for (KeyedStateFiles.File f : files.files()) {
            Path target = dir.resolve(f.localName()).normalize();
            if (!target.getParent().equals(dir.normalize()) || !f.localName().matches("[A-Za-z0-9._-]+")) {
                throw new IOException("invalid RocksDB file name in snapshot: '" + f.localName() + "'");
            }
            try (InputStream in = files.reader().open(f.handle())) {
                Files.copy(in, target);
            }
            names.add(f.localName());
        }
        Optional<String> missing = CheckpointFileSet.missingFile(names,
                () -> Files.readString(dir.resolve(CheckpointFileSet.CURRENT)));
        if (missing.isPresent()) {
            throw incomplete(files, missing.get());
        }
    }
}
