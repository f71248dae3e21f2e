package io.sluice.state.rocksdb;

import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyedStateFiles;
import io.sluice.runtime.state.KeyedStateSnapshot;
import io.sluice.runtime.state.snapshot.CanonicalSnapshotReader;
import java.io.IOException;
import java.util.Collection;
import java.util.Map;

/**
 * Restores a backend from the keyed snapshots of old subtasks, of any kind: the incremental file set sharing the most
 * key groups becomes the database ({@link IncrementalRestore#openAsDatabase}), other file sets are copied in by
 * key-group range; canonical blocks and savepoint files, whichever backend wrote them, are written in
 * ({@link CanonicalRestore}), and so are blocks of this backend's older full snapshots ({@link KeyGroupBlockRestore}).
 * Task thread, before any state is used.
 */
final class SnapshotRestore {
    private SnapshotRestore() {}

    /** Refuses files of another backend's format, or an incremental file set that is not a whole RocksDB database. */
    static void check(KeyedStateSnapshot snapshot) throws IOException {
        KeyedStateFiles f = snapshot.files();
        if (f == null || CanonicalSnapshotReader.isCanonicalFile(f)) {
            return;
        }
        if (!f.format().equals(IncrementalSnapshots.FORMAT)) {
            throw new IOException("the RocksDB state backend cannot restore state in the '" + f.format() + "' format");
        }
        IncrementalRestore.requireWholeDatabase(f);
    }

    /** Loads the key groups of {@code backend}'s range from {@code snapshots}. */
    static void run(RocksDbKeyedStateBackend backend, Collection<KeyedStateSnapshot> snapshots) throws IOException {
        KeyGroupRange range = backend.keyGroupRange();
        IncrementalRestore files = new IncrementalRestore(backend);
        KeyedStateFiles base = null;
        for (KeyedStateSnapshot snapshot : snapshots) {
            check(snapshot);
            KeyedStateFiles f = snapshot.files();
            if (f != null && !CanonicalSnapshotReader.isCanonicalFile(f) && files.overlap(f) > 0 && (base == null || files.overlap(f) > files.overlap(base))) {
                base = f;
            }
        }
        if (base != null) {
            files.openAsDatabase(base); // first: it replaces the database
        }
        KeyGroupBlockRestore blocks = new KeyGroupBlockRestore(backend);
        try (CanonicalRestore canonical = new CanonicalRestore(backend)) {
            for (KeyedStateSnapshot snapshot : snapshots) {
                KeyedStateFiles f = snapshot.files();
                if (f != null && CanonicalSnapshotReader.isCanonicalFile(f)) {
                    CanonicalSnapshotReader.readFile(f, range, canonical);
                } else if (f != null && f != base && files.overlap(f) > 0) {
                    files.copyFrom(f);
                }
                for (Map.Entry<Integer, byte[]> block : snapshot.keyGroups().entrySet()) {
                    if (!range.contains(block.getKey())) {
                        continue;
                    }
                    if (CanonicalSnapshotReader.isCanonicalBlock(block.getValue())) {
                        CanonicalSnapshotReader.readBlock(block.getKey(), block.getValue(), canonical);
                    } else {
                        blocks.restore(block.getKey(), block.getValue());
                    }
                }
            }
            canonical.finish();
        }
    }
}
