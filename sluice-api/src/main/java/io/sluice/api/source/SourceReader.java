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
 * <p>A reader that wraps another must pass every call on, {@link #notifyNoMoreSplits} included (the wrapped reader
 * may wait for it to end), and its source must pass {@link Source#createEnumerator} and
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

    @Override
    default void close() throws Exception {}
}
