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

    /** A source's splits with their current positions (what a checkpoint stores); {@code null} for channel input. */
    default java.util.List<? extends io.sluice.api.source.SourceSplit> snapshotSplits() {
        return null;
    }

    @Override
    default void close() throws Exception {}
}
