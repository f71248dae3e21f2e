package io.sluice.state.rocksdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The directory a RocksDB backend owns (its database and its local checkpoints), and who may delete what in it. A
 * local checkpoint belongs to the backend until an incremental upload takes it over ({@link #acquire}); from then on
 * only the upload deletes it ({@link #release}). {@link #close} deletes everything except what uploads hold, and the
 * last upload to end after it deletes the rest. After the close, no upload can take a checkpoint over.
 *
 * <p>Thread-safe: the task thread closes, checkpoint I/O threads acquire and release. Every deletion runs under this
 * object's lock, so two deletions never walk the directory at once.
 */
final class BackendDirectory implements IncrementalSnapshots.UploadGuard {
    private final Path root;
    /** Local checkpoints held by uploads. Guarded by this. */
    private final Set<Path> uploading = new HashSet<>();
    /** Guarded by this. */
    private boolean closed;

    BackendDirectory(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    @Override
    public synchronized void acquire(Path localCheckpoint) throws IOException {
        if (closed) {
            throw new IOException("the RocksDB state backend was closed before the upload of its local checkpoint "
                    + localCheckpoint.getFileName() + " started (the task ended; its checkpoint is declined)");
        }
        uploading.add(localCheckpoint);
    }

    @Override
    public synchronized void discard(Path localCheckpoint) {
        if (!uploading.contains(localCheckpoint)) { // an upload that started deletes it itself
            IncrementalSnapshots.deleteQuietly(localCheckpoint);
        }
    }

    @Override
    public synchronized void release(Path localCheckpoint) {
        uploading.remove(localCheckpoint);
        IncrementalSnapshots.deleteQuietly(localCheckpoint);
        if (closed && uploading.isEmpty()) {
            deleteExcept(Set.of()); // the close left the rest to this upload
        }
    }

    /** Deletes the directory except what uploads hold; no upload can start from now on. Idempotent. */
    synchronized void close() {
        closed = true;
        deleteExcept(uploading);
    }

    /** Deletes the directory but for the trees under {@code kept} (and their parents). */
    private void deleteExcept(Set<Path> kept) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                if (isKept(p, kept)) {
                    continue;
                }
                LifecycleProbe.current().beforeDelete(p);
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the RocksDB directory " + root, e);
        }
    }

    private static boolean isKept(Path p, Set<Path> kept) {
        for (Path k : kept) {
            if (p.startsWith(k) || k.startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}
