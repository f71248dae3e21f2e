package io.sluice.runtime.checkpoint.storage;

import java.io.IOException;

/**
 * A completed checkpoint cannot be used: its metadata or one of the files it names is missing, unreadable, of the
 * wrong size or fails its checksum. The message names the checkpoint id and the file. Storage never reacts to this
 * by falling back to an older checkpoint: once a sink committed the output of checkpoint N, restoring N-1 would
 * duplicate it, so the caller decides.
 */
public final class CorruptCheckpointException extends IOException {
    private final long checkpointId;
    private final String file;

    /**
     * @param checkpointId the checkpoint's id, or {@code -1} when unknown (metadata unreadable, opened by path)
     * @param location     where the checkpoint lives, used in the message when the id is unknown
     * @param file         the file at fault (full path)
     * @param problem      what is wrong with it
     */
    public CorruptCheckpointException(long checkpointId, String location, String file, String problem, Throwable cause) {
        super(describe(checkpointId, location) + " is corrupt: " + file + ": " + problem, cause);
        this.checkpointId = checkpointId;
        this.file = file;
    }

    public CorruptCheckpointException(long checkpointId, String location, String file, String problem) {
        this(checkpointId, location, file, problem, null);
    }

    /** The checkpoint's id, or {@code -1} if it could not be read. */
    public long checkpointId() {
        return checkpointId;
    }

    /** The file at fault (full path). */
    public String file() {
        return file;
    }

    static String describe(long checkpointId, String location) {
        return checkpointId >= 0 ? "Checkpoint " + checkpointId : "Checkpoint at " + location;
    }
}
