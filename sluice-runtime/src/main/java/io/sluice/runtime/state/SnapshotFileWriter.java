package io.sluice.runtime.state;

import io.sluice.runtime.checkpoint.storage.StateFileHandle;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Where the asynchronous part of a keyed snapshot puts files of its own: the checkpoint being written. Backends that
 * snapshot their native files (RocksDB's incremental snapshots) upload them here; backends that write bytes only
 * (heap, full snapshots) never call it.
 *
 * <p>Shared files may be named again by later checkpoints of the same storage ({@link #referenceShared}); they are
 * immutable and reference-counted across the retained checkpoints. Private files belong to this checkpoint alone.
 *
 * <p>Threading: used by the one thread that writes a snapshot's asynchronous part.
 */
public interface SnapshotFileWriter {

    /** A writer for snapshots that must not write files; every call fails naming why. */
    SnapshotFileWriter NONE = new SnapshotFileWriter() {
        @Override
        public long checkpointId() {
            return 0;
        }

        @Override
        public StateFileHandle writeShared(String name, Path source) {
            throw refused();
        }

        @Override
        public StateFileHandle referenceShared(StateFileHandle file) {
            throw refused();
        }

        @Override
        public StateFileHandle writePrivate(String name, Path source) {
            throw refused();
        }

        private IllegalStateException refused() {
            return new IllegalStateException("this snapshot writes files (incremental RocksDB snapshot), "
                    + "but it was written without a checkpoint to write them to");
        }
    };

    /** The checkpoint the files belong to. */
    long checkpointId();

    /** Copies the local file {@code source} into a new shared file {@code name} (a name never used before). */
    StateFileHandle writeShared(String name, Path source) throws IOException;

    /**
     * Names a shared file that an earlier completed checkpoint wrote, without copying it. Fails with an
     * {@link IOException} if the file is not in this checkpoint's storage (deleted meanwhile, or another storage such
     * as a savepoint directory); the caller then writes it again.
     */
    StateFileHandle referenceShared(StateFileHandle file) throws IOException;

    /** Copies the local file {@code source} into a file {@code name} private to this checkpoint. */
    StateFileHandle writePrivate(String name, Path source) throws IOException;
}
