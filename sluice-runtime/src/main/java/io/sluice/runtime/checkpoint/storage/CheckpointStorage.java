package io.sluice.runtime.checkpoint.storage;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Where checkpoints are written and read: a file system now ({@link FileSystemCheckpointStorage}), object stores
 * later. Storage knows checkpoints and files; which checkpoints to keep is the {@link CompletedCheckpointStore}'s
 * job.
 *
 * <p>Contract: a checkpoint is <em>complete</em> once its metadata file exists, and the metadata is written last and
 * atomically, after every file it names is durable. A checkpoint without metadata is torn: it is never listed or
 * opened. Opening verifies the metadata's checksum; reading a file verifies its size and checksum; any mismatch,
 * missing or unreadable file is a {@link CorruptCheckpointException} naming the checkpoint id and the file. Storage
 * never falls back to another checkpoint by itself: {@link #latestCompletedId()} is the newest complete one even when
 * it turns out to be corrupt, and the caller decides what to do.
 *
 * <p>Threading: implementations are thread-safe. Writers of different checkpoints may run on different threads at
 * the same time.
 */
public interface CheckpointStorage {

    /**
     * Starts writing checkpoint {@code checkpointId}. Leftovers of a torn checkpoint with that id are deleted first.
     *
     * @throws IllegalStateException if that checkpoint is being written already or is complete
     */
    CheckpointWriter begin(long checkpointId) throws IOException;

    /**
     * A writer for the files of checkpoint {@code checkpointId} that another process began and completes (a worker's
     * tasks, for their coordinator): it creates and references files like any writer, never completes, and its abort
     * deletes only the files it wrote. The coordinator's writer then {@link CheckpointWriter#adopt adopts} the
     * files the participant reported.
     */
    default CheckpointWriter participant(long checkpointId) throws IOException {
        throw new UnsupportedOperationException(location() + " takes no participants' files");
    }

    /** The ids of the complete checkpoints (those with a metadata file), ascending. Does not verify them. */
    List<Long> completedCheckpointIds() throws IOException;

    /** The newest complete checkpoint's id, whether or not it turns out to be readable. */
    default OptionalLong latestCompletedId() throws IOException {
        List<Long> ids = completedCheckpointIds();
        return ids.isEmpty() ? OptionalLong.empty() : OptionalLong.of(ids.getLast());
    }

    /**
     * Opens a complete checkpoint and verifies its metadata.
     *
     * @throws CheckpointNotFoundException if it has no metadata file (never complete, or deleted)
     * @throws CorruptCheckpointException  if the metadata is unreadable, fails its checksum or names another id
     */
    CompletedCheckpoint open(long checkpointId) throws IOException;

    /**
     * Opens the newest complete checkpoint ({@code --from-checkpoint latest}); empty if there is none. Fails if that
     * one is corrupt: it never returns an older one instead.
     */
    default Optional<CompletedCheckpoint> openLatest() throws IOException {
        OptionalLong latest = latestCompletedId();
        return latest.isPresent() ? Optional.of(open(latest.getAsLong())) : Optional.empty();
    }

    /**
     * Deletes a checkpoint: its metadata first (durably, so a half-deleted checkpoint is never complete; if that fails
     * nothing else is deleted), then its private files, then the given shared files, which the caller determined no
     * retained checkpoint names any more. Works on torn checkpoints too.
     *
     * @throws IllegalStateException if the checkpoint is being written
     */
    void discard(long checkpointId, Collection<String> sharedFilesToDelete) throws IOException;

    /**
     * Deletes every torn checkpoint and every shared file not in {@code sharedFilesInUse}: what a crash left behind.
     * Only valid while no checkpoint is being written.
     *
     * @throws IllegalStateException if a checkpoint is being written
     */
    void deleteTornAndUnreferenced(Set<String> sharedFilesInUse) throws IOException;

    /** Where this storage lives (its root directory or address), for messages. */
    String location();
}
