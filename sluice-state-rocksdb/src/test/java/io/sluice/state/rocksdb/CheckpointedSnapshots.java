package io.sluice.state.rocksdb;

import io.sluice.runtime.checkpoint.CheckpointSnapshotFiles;
import io.sluice.runtime.checkpoint.storage.CheckpointWriter;
import io.sluice.runtime.checkpoint.storage.CompletedCheckpoint;
import io.sluice.runtime.checkpoint.storage.CompletedCheckpointStore;
import io.sluice.runtime.checkpoint.storage.FileSystemCheckpointStorage;
import io.sluice.runtime.state.KeyedStateBackend;
import io.sluice.runtime.state.KeyedStateSnapshot;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes keyed snapshots into a real checkpoint storage, as a task does (each its own checkpoint, completed through
 * a store retaining {@code retained}, then announced to the backend), and hands them back readable for a restore.
 */
final class CheckpointedSnapshots {
    private final CompletedCheckpointStore store;
    private final FileSystemCheckpointStorage storage;
    private long nextId;

    CheckpointedSnapshots(Path root, int retained) throws IOException {
        storage = new FileSystemCheckpointStorage(root);
        store = CompletedCheckpointStore.open(storage, retained, false);
    }

    /** Takes a snapshot of {@code backend} now and writes it as the next checkpoint. */
    KeyedStateSnapshot checkpoint(KeyedStateBackend backend) throws IOException {
        return write(backend, backend.snapshot());
    }

    /** Writes an already captured snapshot of {@code backend} (told of the completion unless null) as the next checkpoint. */
    KeyedStateSnapshot write(KeyedStateBackend backend, KeyedStateBackend.PendingSnapshot pending) throws IOException {
        long id = ++nextId;
        CheckpointWriter writer = storage.begin(id);
        KeyedStateSnapshot snapshot;
        CompletedCheckpoint completed;
        try {
            snapshot = pending.write(new CheckpointSnapshotFiles(writer));
            completed = store.complete(writer, new byte[0]);
        } catch (IOException | RuntimeException e) {
            writer.abort();
            throw e;
        }
        if (backend != null) {
            backend.notifyCheckpointComplete(id);
        }
        return snapshot.files() == null ? snapshot
                : new KeyedStateSnapshot(snapshot.keyGroups(), snapshot.files().withReader(completed::openFile));
    }

    CompletedCheckpointStore store() {
        return store;
    }
}
