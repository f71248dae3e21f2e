package io.sluice.runtime.state;

import io.sluice.runtime.checkpoint.storage.ForwardingStateFileOutputStream;
import io.sluice.runtime.checkpoint.storage.StateFileHandle;
import io.sluice.runtime.checkpoint.storage.StateFileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the asynchronous part of a keyed snapshot puts files of its own: the checkpoint being written. Backends that
 * snapshot their native files (RocksDB's incremental snapshots) upload them here, and every savepoint streams its
 * canonical key-group file into it ({@link #createPrivate}); checkpoints kept as key-group blocks never call it.
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

        @Override
        public StateFileOutputStream createPrivate(String name) {
            throw refused();
        }

        private IllegalStateException refused() {
            return new IllegalStateException("this snapshot writes files (a savepoint, or an incremental RocksDB "
                    + "snapshot), but it was written without a checkpoint to write them to");
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

    /**
     * Creates a file {@code name} private to this checkpoint, to be written as a stream and then closed with
     * {@link StateFileOutputStream#closeAndGetHandle()} (which records it in the checkpoint); {@code close()} without
     * it discards the file. For snapshots too large to hold in memory (savepoints).
     *
     * <p>The default stages the bytes in a temporary local file and hands it to {@link #writePrivate}; a writer that
     * can stream into the checkpoint directly overrides it.
     */
    default StateFileOutputStream createPrivate(String name) throws IOException {
        Path staged = Files.createTempFile("sluice-snapshot-", ".tmp");
        OutputStream out;
        try {
            out = Files.newOutputStream(staged);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(staged);
            throw e;
        }
        return new ForwardingStateFileOutputStream(out) {
            private boolean closed;

            @Override
            public StateFileHandle closeAndGetHandle() throws IOException {
                try {
                    closed = true;
                    out.close();
                    return writePrivate(name, staged);
                } finally {
                    Files.deleteIfExists(staged);
                }
            }

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    try {
                        out.close();
                        Files.deleteIfExists(staged);
                    } catch (IOException e) {
                        staged.toFile().deleteOnExit(); // a temporary file: removed at exit at the latest
                    }
                }
            }
        };
    }
}
