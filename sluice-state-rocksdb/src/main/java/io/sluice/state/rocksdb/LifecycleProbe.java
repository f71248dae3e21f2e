package io.sluice.state.rocksdb;

import java.nio.file.Path;

/**
 * Test seam at the points where a backend's close and an incremental upload can interleave: tests install a probe
 * that stops one side with latches until the other reaches a given point, so the race is reproduced every time
 * instead of by luck. Production code never installs one; each point costs one volatile read.
 *
 * <p>Threading: points are called on the thread that reaches them (task thread for close, checkpoint I/O thread for
 * uploads), some under the backend's lifecycle lock; a probe must not call back into the backend.
 */
interface LifecycleProbe {
    LifecycleProbe NONE = new LifecycleProbe() {};

    /** An upload of {@code localCheckpoint} is about to list its files. */
    default void beforeListing(Path localCheckpoint) {}

    /** An upload of {@code localCheckpoint} listed its files (and uploads them next). */
    default void afterListing(Path localCheckpoint) {}

    /** The upload of {@code localCheckpoint} ended (stored, declined or failed) and reads none of its files any more. */
    default void afterUpload(Path localCheckpoint) {}

    /** {@code path} inside a backend's directory is about to be deleted (close, or an upload's clean-up). */
    default void beforeDelete(Path path) {}

    /** The backend owning {@code directory} finished closing (its undeletable parts, if any, left to their uploads). */
    default void afterClose(Path directory) {}

    /** The installed probe; {@link #NONE} unless a test set one. */
    static LifecycleProbe current() {
        return Installed.probe;
    }

    /** Installs {@code probe} (tests); {@link #NONE} removes it. */
    static void install(LifecycleProbe probe) {
        Installed.probe = probe;
    }

    /** Holder of the installed probe: interfaces have no mutable static fields. */
    final class Installed {
        private static volatile LifecycleProbe probe = NONE;

        private Installed() {}
    }
}
