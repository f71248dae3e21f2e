package io.sluice.runtime.checkpoint.storage;

import java.util.Locale;
import java.util.Objects;

/**
 * One file a checkpoint names: where it lives ({@link Scope}), its name, its size in bytes and the CRC32C of its
 * contents, both computed while it was written. A reader checks size and checksum when it reads the file.
 * Immutable and safe to share between threads.
 *
 * <p>Names are plain file names ({@code [A-Za-z0-9._-]}, 1 to 200 characters, not starting with {@code .} or
 * {@code _}): never a path, so a name read from metadata cannot point outside its directory.
 *
 * @param scope   private to one checkpoint, or shared between checkpoints
 * @param name    the file name within its scope
 * @param size    length in bytes
 * @param crc32c  CRC32C of the contents (as {@link java.util.zip.CRC32C#getValue()} cast to {@code int})
 */
public record StateFileHandle(Scope scope, String name, long size, int crc32c) {

    /** Where a file lives, and so who may delete it. */
    public enum Scope {
        /** In the checkpoint's own directory; deleted with the checkpoint. */
        PRIVATE,
        /**
         * In the storage's shared directory; may be named by several checkpoints (incremental snapshots) and is
         * deleted only when no retained checkpoint names it.
         */
        SHARED
    }

    public StateFileHandle {
        Objects.requireNonNull(scope, "scope");
        StateFileNames.requireValid(name);
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size + " for state file " + name);
        }
    }

    /** {@code private:name (size, checksum)} or {@code shared:name (...)}, as used in messages. */
    @Override
    public String toString() {
        return scope.name().toLowerCase(Locale.ROOT) + ":" + name + " (" + size + " bytes, crc32c "
                + String.format("%08x", crc32c) + ")";
    }
}
