package io.sluice.runtime.checkpoint;

import io.sluice.runtime.checkpoint.storage.FileSystemCheckpointStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * What a running job's checkpoint directory shows, and bounded waits on it: for job tests that act when a checkpoint
 * begins or completes. With one checkpoint in flight at a time (the default), the newest begun is the one in flight.
 */
public final class CheckpointWatch {
    private CheckpointWatch() {}

    /** The newest checkpoint with a directory in {@code root} (begun, complete or not), or 0. */
    public static long newestBegun(Path root) {
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.map(p -> p.getFileName().toString()).filter(n -> n.matches("chk-\\d+"))
                    .mapToLong(n -> Long.parseLong(n.substring("chk-".length()))).max().orElse(0);
        } catch (IOException e) {
            return 0; // listed while a checkpoint was deleted: ask again
        }
    }

    /** {@code id} if checkpoint {@code id} is complete in {@code root}, else 0. */
    public static long completedOrZero(Path root, long id) {
        try {
            return new FileSystemCheckpointStorage(root).completedCheckpointIds().contains(id) ? id : 0;
        } catch (IOException e) {
            return 0; // listed while a checkpoint was deleted: ask again
        }
    }

    /** Polls {@code value} every ms until it is at least {@code least}, at most {@code bound}; its last value. */
    public static long awaitAtLeast(LongSupplier value, long least, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        long v;
        while ((v = value.getAsLong()) < least && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return v;
    }
}
