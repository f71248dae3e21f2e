package io.sluice.connectors.file;

import java.io.Serializable;

/**
 * The handle of a pre-committed transaction of {@link TransactionalFileSink}: names the hidden in-progress file
 * {@link #inProgressName()} that commit renames to {@link #finalName()}, relative to the sink's directory.
 * Self-describing: any subtask can commit it (after a rescale the runtime hands handles to other subtasks).
 *
 * @param subtask      the index of the subtask that wrote the file
 * @param seq          the file's sequence number within that subtask index (never reused in the directory)
 * @param parallelism  the sink's parallelism when the file was written (part of the in-progress name)
 * @param checkpointId the checkpoint that pre-committed it ({@link #END_OF_INPUT} when pre-committed by
 *                     {@code finish()}); for messages only
 * @param bytes        the file's exact length: checked before and after the commit's rename
 */
public record PendingFile(int subtask, long seq, int parallelism, long checkpointId, long bytes) implements Serializable {

    /** The checkpoint id recorded by the pre-commit that {@code finish()} does at the end of bounded input. */
    public static final long END_OF_INPUT = -1;

    public PendingFile {
        if (subtask < 0 || seq < 0 || parallelism < 1 || subtask >= parallelism || bytes < 0) {
            throw new IllegalArgumentException("invalid pending file: subtask " + subtask + " of " + parallelism
                    + ", seq " + seq + ", " + bytes + " bytes");
        }
    }

    /** The hidden name while pending: {@code .part-<subtask>-<seq>-of-<parallelism>.inprogress}. */
    public String inProgressName() {
        return PartFiles.inProgressName(subtask, seq, parallelism);
    }

    /** The visible name once committed: {@code part-<subtask>-<seq>}. */
    public String finalName() {
        return PartFiles.finalName(subtask, seq);
    }

    String describe() {
        return (checkpointId == END_OF_INPUT ? "pre-committed at end of input" : "pre-committed by checkpoint " + checkpointId)
                + ", subtask " + subtask + " of " + parallelism + ", " + bytes + " bytes";
    }
}
