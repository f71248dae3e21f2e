package io.sluice.runtime.checkpoint.storage;

import java.io.IOException;
import java.util.List;

/**
 * Writes one checkpoint: its state files, then its metadata. Obtained from {@link CheckpointStorage#begin(long)}.
 *
 * <p>Call order: any number of {@link #createFile}/{@link #writeFile} (private files, deleted with the checkpoint),
 * {@link #createSharedFile}/{@link #writeSharedFile} (new shared files) and {@link #referenceSharedFile} (shared
 * files of an earlier, completed checkpoint); then exactly one of {@link #complete(byte[])} or {@link #abort()}.
 * {@link #close()} aborts unless the checkpoint completed, so a writer in try-with-resources never leaves a torn
 * checkpoint behind in a running process. After a crash, a checkpoint that has no metadata file is torn: never
 * listed, never opened, and deleted by the next {@link CompletedCheckpointStore}.
 *
 * <p>{@code complete} writes the metadata file last and atomically (temporary name, write, fsync, rename, fsync the
 * directory): only then is the checkpoint complete. Each state file was fsynced when its stream was closed.
 *
 * <p>Threading: thread-safe. Files of one checkpoint may be written from several threads at once (asynchronous
 * snapshot parts of several tasks); each stream is used by one thread at a time. {@code complete} requires every
 * stream to be closed first; {@code abort} may be called at any time from any thread, and streams still open then
 * fail when they are closed.
 *
 * <p>Errors: a failed write throws {@link CheckpointWriteException} naming the checkpoint and the file and deletes
 * the partial file; the checkpoint stays open so that the caller aborts it (or retries the file). A failed
 * {@code complete} aborts the checkpoint itself. Names must be valid state file names (see {@link StateFileHandle})
 * and unique per scope within the checkpoint, else {@link IllegalArgumentException}.
 */
public interface CheckpointWriter extends AutoCloseable {

    long checkpointId();

    /**
     * Where the storage this checkpoint is written to lives ({@link CheckpointStorage#location()}): what a participant
     * in another process opens to write its files.
     */
    default String storageLocation() {
        throw new UnsupportedOperationException("this writer's storage cannot be opened elsewhere");
    }

    /** Creates a private state file; close it with {@link StateFileOutputStream#closeAndGetHandle()}. */
    StateFileOutputStream createFile(String name) throws IOException;

    /**
     * Creates a new shared state file, which later checkpoints may name again via {@link #referenceSharedFile}.
     * Shared files are immutable: the name must not exist in the shared directory yet.
     */
    StateFileOutputStream createSharedFile(String name) throws IOException;

    /** Writes a whole private state file. */
    default StateFileHandle writeFile(String name, byte[] bytes) throws IOException {
        try (StateFileOutputStream out = createFile(name)) {
            out.write(bytes);
            return out.closeAndGetHandle();
        }
    }

    /** Writes a whole new shared state file. */
    default StateFileHandle writeSharedFile(String name, byte[] bytes) throws IOException {
        try (StateFileOutputStream out = createSharedFile(name)) {
            out.write(bytes);
            return out.closeAndGetHandle();
        }
    }

    /**
     * Names a shared file of an earlier completed checkpoint in this one, without copying it. The file must exist
     * with the handle's size (checked now and again at {@code complete}), else {@link CheckpointWriteException};
     * its contents are verified when it is read. Reference only files of checkpoints that are still retained.
     */
    StateFileHandle referenceSharedFile(StateFileHandle sharedFile) throws IOException;

    /**
     * Records a file that a participant in another process wrote into this checkpoint
     * ({@link CheckpointStorage#participant}): it must exist with the handle's size, and is then part of the
     * checkpoint like a file written here.
     */
    default StateFileHandle adopt(StateFileHandle file) throws IOException {
        throw new UnsupportedOperationException("this writer adopts no participants' files");
    }

    /** The files recorded so far (written and closed, or referenced). */
    List<StateFileHandle> files();

    /**
     * Completes the checkpoint: writes the metadata (every recorded file plus {@code payload}, the coordinator's
     * opaque bytes) last and atomically. On failure the checkpoint is aborted and a {@link CheckpointWriteException}
     * names the file at fault.
     *
     * @throws IllegalStateException if a stream is still open, or the checkpoint was completed or aborted
     */
    CompletedCheckpoint complete(byte[] payload) throws IOException;

    /**
     * Aborts the checkpoint: deletes its private files and the shared files it created. Idempotent; does nothing
     * after {@code complete}. Never throws: a file that cannot be deleted is logged and removed by the next sweep
     * of a {@link CompletedCheckpointStore}.
     */
    void abort();

    /** Aborts unless completed. */
    @Override
    void close();
}
