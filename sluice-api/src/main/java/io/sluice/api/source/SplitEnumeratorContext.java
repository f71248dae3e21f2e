package io.sluice.api.source;

import java.time.Duration;
import java.util.List;

/**
 * What a {@link SplitEnumerator} may do: assign splits to readers, tell a reader that no more will come, and run
 * actions periodically. Call it only from the enumerator's own methods or its periodic actions (the source
 * coordinator thread).
 *
 * @param <S> the split type
 */
public interface SplitEnumeratorContext<S extends SourceSplit> {

    /** The number of parallel readers. */
    int parallelism();

    /** The source's operator name, for messages. */
    String operatorName();

    /**
     * Hands {@code splits} to reader {@code subtask}; from now on the reader owns them (and checkpoints them with
     * their positions). A split whose id the source already finished is dropped, with a warning.
     */
    void assignSplits(int subtask, List<S> splits);

    /** Reader {@code subtask} gets no more splits: once it finished those it has, its input ends. */
    void signalNoMoreSplits(int subtask);

    /**
     * Runs {@code action} every {@code period} on the source coordinator thread (partition discovery, for example),
     * the first time after one period, until the enumerator closes. An action that throws fails the job.
     */
    void schedulePeriodic(Runnable action, Duration period);
}
