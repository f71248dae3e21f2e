package io.sluice.api.source;

import java.util.List;

/**
 * Reads the splits assigned to one parallel subtask of a source.
 *
 * <p>Threading: every method is called on the subtask's task thread, never concurrently. {@link #pollNext}
 * should return within milliseconds (emit a bounded batch, never sleep or block for long), so that the task
 * can run its control actions (checkpoints, timers) between calls.
 *
 * <p>Call order: {@link #addSplits} with the splits a restored reader held, and the splits the enumerator assigned
 * when the reader registered, before the first {@link #pollNext}; then {@link #pollNext} until it returns
 * {@link InputStatus#END_OF_INPUT} or the task stops, with {@link #addSplits} and {@link #notifyNoMoreSplits} between
 * polls as the enumerator decides; then {@link #close()}.
 *
 * <p>Ending: a reader whose enumerator deals every split at registration (the default) may end once its splits are
 * read. A reader that asks for splits ({@link SourceReaderContext#sendSplitRequest()}) returns
 * {@link InputStatus#NOTHING_AVAILABLE} while it has none and ends only after {@link #notifyNoMoreSplits}.
 *
 * <p>Checkpoints: the runtime takes a reader's part of checkpoint {@code n} with {@link #snapshotSplits(long)
 * snapshotSplits(n)} between two polls, and calls {@link #notifyCheckpointComplete(long) notifyCheckpointComplete(m)}
 * once checkpoint {@code m} is complete (stored, every task acknowledged), between polls too. Completions may be
 * coalesced (only the newest of several is announced) and never come for a checkpoint that failed; a reader that
 * tells an external system what it has read (committing offsets back, acknowledging messages) does it there, for the
 * newest snapshot with an id up to {@code m}, and never before.
 *
 * <p>A reader that wraps another must pass every call on, {@link #notifyNoMoreSplits},
 * {@link #snapshotSplits(long)} and {@link #notifyCheckpointComplete} included (the wrapped reader may wait for the
 * first to end, and act on the others), and its source must pass {@link Source#createEnumerator} and
 * {@link Source#restoreEnumerator} on too.
 */
public interface SourceReader<T, S extends SourceSplit> extends AutoCloseable {

    void addSplits(List<S> splits) throws Exception;

    /** The enumerator will assign no more splits to this reader. */
    default void notifyNoMoreSplits() {}

    /** Emits up to a batch of records into {@code output} and says whether more are available. */
    InputStatus pollNext(SourceOutput<T> output) throws Exception;

    /** After {@link InputStatus#NOTHING_AVAILABLE}: how long the task may wait before polling again. */
    default long nanosUntilAvailable() {
        return 1_000_000L;
    }

    /** The unfinished splits with their current positions; what a restore passes back to {@link #addSplits}. */
    List<S> snapshotSplits();

    /**
     * The reader's part of checkpoint {@code checkpointId} (0 when the runtime takes the reader's state outside a
     * checkpoint): the same as {@link #snapshotSplits()}, which the default returns. A reader that acts on
     * {@link #notifyCheckpointComplete} overrides this one to remember what each checkpoint captured.
     */
    default List<S> snapshotSplits(long checkpointId) {
        return snapshotSplits();
    }

    /**
     * Checkpoint {@code checkpointId} is complete: what the reader's snapshots up to it captured is safe in a
     * checkpoint a restore would use. Task thread, between polls; nothing by default. A checkpoint that fails is never
     * announced. Throwing fails the task.
     */
    default void notifyCheckpointComplete(long checkpointId) throws Exception {}

    @Override
    default void close() throws Exception {}
}
