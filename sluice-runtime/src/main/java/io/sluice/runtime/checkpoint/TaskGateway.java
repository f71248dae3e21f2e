package io.sluice.runtime.checkpoint;

/**
 * How the checkpoint coordinator reaches one running task: in this JVM the task itself, later a connection to the
 * worker that runs it. Thread-safe; never blocks.
 */
public interface TaskGateway {

    /**
     * Posts checkpoint {@code checkpointId}'s trigger to a source task, after everything posted to it before (split
     * assignments); {@code kind} says whether it is a savepoint (keyed state written in the canonical format).
     * {@code false} if the task has no room for it now.
     */
    boolean triggerCheckpoint(long checkpointId, io.sluice.runtime.state.SnapshotKind kind);

    /** Checkpoint {@code checkpointId} completed: the task may make its side effects visible. Never dropped. */
    void notifyCheckpointComplete(long checkpointId);

    /** Checkpoint {@code checkpointId} was aborted: the task stops aligning it. Never dropped. */
    void abortCheckpoint(long checkpointId);
}
