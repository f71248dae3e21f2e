package io.sluice.runtime.checkpoint.storage;

import java.io.IOException;

/**
 * Writing a checkpoint failed (disk full, an I/O error, a referenced shared file gone): that checkpoint fails and
 * its files are cleaned up; the storage stays usable for the next one. The message names the checkpoint id and the
 * file being written, and carries the underlying error as the cause.
 */
public final class CheckpointWriteException extends IOException {
    private final long checkpointId;
    private final String file;

    public CheckpointWriteException(long checkpointId, String file, String problem, Throwable cause) {
        super("Checkpoint " + checkpointId + " failed: " + file + ": " + problem
                + (cause != null && cause.getMessage() != null ? ": " + cause.getMessage() : ""), cause);
        this.checkpointId = checkpointId;
        this.file = file;
    }

    /** The id of the checkpoint that failed. */
    public long checkpointId() {
        return checkpointId;
    }

    /** The file being written when it failed (full path). */
    public String file() {
        return file;
    }
}
