package io.sluice.state.rocksdb;

import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyedStateFiles;
import io.sluice.runtime.state.KeyedStateSnapshot;
import java.io.IOException;
import java.util.Collection;
import java.util.Map;

/**
 * Restores a backend from the keyed snapshots of old subtasks, of either kind: the incremental file set sharing the
 * most key groups becomes the database ({@link IncrementalRestore#openAsDatabase}), other file sets are copied in by
 * key-group range, key-group blocks of full snapshots are written in ({@link KeyGroupBlockRestore}). Task thread,
 * before any state is used.
 */
final class SnapshotRestore {
    private SnapshotRestore() {}

    /** Refuses incremental state of another format, or whose file set is not a whole RocksDB database. */
    static void check(KeyedStateSnapshot snapshot) throws IOException {
        KeyedStateFiles f = snapshot.files();
        if (f == null) {
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
            if (f != null && files.overlap(f) > 0 && (base == null || files.overlap(f) > files.overlap(base))) {
                base = f;
            }
        }
        if (base != null) {
            files.openAsDatabase(base); // first: it replaces the database
        }
        KeyGroupBlockRestore blocks = new KeyGroupBlockRestore(backend);
        for (KeyedStateSnapshot snapshot : snapshots) {
            if (snapshot.files() != null && snapshot.files() != base && files.overlap(snapshot.files()) > 0) {
                files.copyFrom(snapshot.files());
            }
            for (Map.Entry<Integer, byte[]> block : snapshot.keyGroups().entrySet()) {
                if (range.contains(block.getKey())) {
                    blocks.restore(block.getKey(), block.getValue());
                }
            }
        }
    }
}
