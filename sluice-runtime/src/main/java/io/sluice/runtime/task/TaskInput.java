package io.sluice.runtime.task;

/** What feeds a task's head operator: a source reader or channels from other tasks. Task thread only. */
public interface TaskInput extends AutoCloseable {

    /** Outcomes of {@link #processSome()}. */
    enum Status { MORE, NOTHING_NOW, ENDED }

    /** Processes a bounded amount of input (one batch, one poll). */
    Status processSome() throws Exception;

    /** Whether input is there now; called right before the task sleeps. */
    boolean hasInputNow();

    /** After {@link Status#NOTHING_NOW}: the longest the task should sleep before trying again. */
    long maxWaitNanos();

    /**
     * A source reader's splits with their positions, and those it finished, for checkpoint {@code checkpointId} (0:
     * outside a checkpoint); {@code null} for channel input.
     */
    default ReaderSnapshot snapshotReader(long checkpointId) {
        return null;
    }

    /** Checkpoint {@code checkpointId} is complete: a source reader hears of it. Task thread. */
    default void notifyCheckpointComplete(long checkpointId) throws Exception {}

    /** A checkpoint was aborted elsewhere (coordinator time-out): stop aligning it. Task thread. */
    default void cancelCheckpoint(long checkpointId) throws Exception {}

    @Override
    default void close() throws Exception {}
}
