package io.sluice.runtime.checkpoint.storage;

import java.io.IOException;

/**
 * No completed checkpoint exists with the requested id or at the requested path: there is no metadata file there.
 * A checkpoint whose writing was cut off has none either, so it is "not found" rather than corrupt: it was never
 * complete.
 */
public final class CheckpointNotFoundException extends IOException {
    private final long checkpointId;

    public CheckpointNotFoundException(long checkpointId, String location) {
        super(CorruptCheckpointException.describe(checkpointId, location) + " not found: no completed checkpoint at "
                + location + " (no metadata file)");
        this.checkpointId = checkpointId;
    }

    /** The requested id, or {@code -1} when a path was requested. */
    public long checkpointId() {
        return checkpointId;
    }
}
