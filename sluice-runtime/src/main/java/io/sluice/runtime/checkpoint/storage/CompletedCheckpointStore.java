package io.sluice.runtime.checkpoint.storage;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the last {@code maxRetained} completed checkpoints of a job (default {@value #DEFAULT_MAX_RETAINED}) and
 * deletes older ones when a new one completes, never deleting a file that a retained checkpoint still names: shared
 * files are reference-counted across the retained checkpoints.
 *
 * <p>Crash safety: nothing but the checkpoints themselves is stored. {@link #open} takes the newest
 * {@code maxRetained} complete checkpoints on disk as retained, rebuilds the reference counts from their metadata,
 * and deletes what a crash may have left: older complete checkpoints, torn checkpoints, shared files no retained
 * checkpoint names. Deleting a checkpoint deletes its metadata first (so a half-deleted checkpoint is never seen as
 * complete), then its private files, then the shared files whose count dropped to zero.
 *
 * <p>Use: open the store before any checkpoint of the job is written; complete every checkpoint through
 * {@link #complete}, which writes its metadata and retains it in one step, so no deletion can fall between the two.
 * A checkpoint that references shared files should reference only files of retained checkpoints; should one have been
 * deleted meanwhile, {@code complete} fails that checkpoint rather than complete one that names a missing file.
 *
 * <p>Threading: thread-safe; every method synchronizes on the store. Writers may write their files on any thread;
 * only {@code complete} passes through the store.
 */
public final class CompletedCheckpointStore {
    public static final int DEFAULT_MAX_RETAINED = 3;
    private static final Logger LOG = LoggerFactory.getLogger(CompletedCheckpointStore.class);

    /** How the job ended, which decides whether its retained checkpoints survive {@link #shutdown}. */
    public enum Termination {
        /** Finished: nothing will resume from its checkpoints, so they are deleted. */
        FINISHED,
        /** Cancelled: checkpoints are deleted unless the store retains them on cancel. */
        CANCELLED,
        /** Failed or the process is stopping: checkpoints are kept, to resume from. */
        FAILED
    }

    private final CheckpointStorage storage;
    private final int maxRetained;
    private final boolean retainOnCancel;
    // guarded by this
    private final ArrayDeque<CompletedCheckpoint> retained = new ArrayDeque<>();
    private final SharedFileReferences references = new SharedFileReferences();
    private boolean shutDown;

    private CompletedCheckpointStore(CheckpointStorage storage, int maxRetained, boolean retainOnCancel) {
        this.storage = storage;
        this.maxRetained = maxRetained;
        this.retainOnCancel = retainOnCancel;
    }

    /** {@link #open(CheckpointStorage, int, boolean)} retaining {@value #DEFAULT_MAX_RETAINED}, deleted on cancel. */
    public static CompletedCheckpointStore open(CheckpointStorage storage) throws IOException {
        return open(storage, DEFAULT_MAX_RETAINED, false);
    }

    /**
     * Opens the store over {@code storage}: retains the newest {@code maxRetained} complete checkpoints found there,
     * rebuilds the shared-file reference counts from their metadata and deletes everything else a crash may have
     * left (see the class documentation).
     *
     * @throws CorruptCheckpointException if a checkpoint to be retained has unreadable metadata: without it the store
     *                                    cannot know which shared files are in use, so it deletes nothing and fails
     * @throws IllegalStateException      if a checkpoint is being written in {@code storage}
     */
    public static CompletedCheckpointStore open(CheckpointStorage storage, int maxRetained, boolean retainOnCancel)
            throws IOException {
        Objects.requireNonNull(storage, "storage");
        if (maxRetained < 1) {
            throw new IllegalArgumentException("maxRetained must be at least 1, not " + maxRetained);
        }
        CompletedCheckpointStore store = new CompletedCheckpointStore(storage, maxRetained, retainOnCancel);
        List<Long> ids = storage.completedCheckpointIds();
        List<Long> keep = ids.subList(Math.max(0, ids.size() - maxRetained), ids.size());
        for (long id : keep) {
            CompletedCheckpoint checkpoint = storage.open(id);
            store.retained.addLast(checkpoint);
            store.references.add(checkpoint.metadata());
        }
        for (long id : ids.subList(0, ids.size() - keep.size())) {
            LOG.info("Deleting checkpoint {}, older than the {} retained ones", id, maxRetained);
            storage.discard(id, List.of());
        }
        storage.deleteTornAndUnreferenced(store.references.names());
        LOG.info("Opened checkpoint store at {}: retained checkpoints {}", storage.location(), keep);
        return store;
    }

    /**
     * Completes {@code writer}'s checkpoint ({@link CheckpointWriter#complete}) and retains it; then deletes the
     * oldest retained checkpoints beyond {@code maxRetained}. A failure to delete an old checkpoint is logged, not
     * thrown: the new checkpoint is complete, and the next {@link #open} removes what is left.
     *
     * @throws IllegalArgumentException if a checkpoint with this or a higher id is retained already; the writer is
     *                                  then aborted
     */
    public synchronized CompletedCheckpoint complete(CheckpointWriter writer, byte[] payload) throws IOException {
        requireOpen();
        CompletedCheckpoint newest = retained.peekLast();
        if (newest != null && writer.checkpointId() <= newest.checkpointId()) {
            writer.abort();
            throw new IllegalArgumentException("Checkpoint " + writer.checkpointId() + " completes after checkpoint "
                    + newest.checkpointId() + "; it was aborted");
        }
        CompletedCheckpoint checkpoint = writer.complete(payload);
        retained.addLast(checkpoint);
        references.add(checkpoint.metadata());
        while (retained.size() > maxRetained) {
            try {
                discard(retained.removeFirst());
            } catch (IOException e) {
                LOG.warn("Could not delete an old checkpoint; the next store open removes it: {}", e.toString());
            }
        }
        return checkpoint;
    }

    /** The newest retained checkpoint, if any. Not verified beyond its metadata: reading a file verifies it. */
    public synchronized Optional<CompletedCheckpoint> latest() {
        return Optional.ofNullable(retained.peekLast());
    }

    /** The retained checkpoints, oldest first. */
    public synchronized List<CompletedCheckpoint> retained() {
        return List.copyOf(retained);
    }

    /** How many retained checkpoints name shared file {@code name}. */
    public synchronized int sharedReferenceCount(String name) {
        return references.count(name);
    }

    public int maxRetained() {
        return maxRetained;
    }

    public boolean retainsOnCancel() {
        return retainOnCancel;
    }

    /**
     * Ends the store. Retained checkpoints are deleted, oldest first, when the job {@link Termination#FINISHED} or
     * was {@link Termination#CANCELLED} without retain-on-cancel; otherwise kept for a later run to resume from.
     * Idempotent.
     *
     * @throws IOException the first deletion failure (every checkpoint is attempted; others are suppressed)
     */
    public synchronized void shutdown(Termination termination) throws IOException {
        if (shutDown) {
            return;
        }
        shutDown = true;
        boolean delete = termination == Termination.FINISHED
                || (termination == Termination.CANCELLED && !retainOnCancel);
        if (!delete) {
            LOG.info("Keeping checkpoints {} at {} ({})", ids(), storage.location(), termination);
            return;
        }
        IOException failure = null;
        while (!retained.isEmpty()) {
            try {
                discard(retained.removeFirst());
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void discard(CompletedCheckpoint checkpoint) throws IOException {
        List<String> unreferenced = references.remove(checkpoint.metadata());
        storage.discard(checkpoint.checkpointId(), unreferenced);
    }

    private List<Long> ids() {
        List<Long> ids = new ArrayList<>();
        for (CompletedCheckpoint c : retained) {
            ids.add(c.checkpointId());
        }
        return ids;
    }

    private void requireOpen() {
        if (shutDown) {
            throw new IllegalStateException("The checkpoint store at " + storage.location() + " is shut down");
        }
    }
}
