package io.sluice.api.source;

import java.util.List;

/**
 * The coordinator side of a split-based source: owns the splits no reader holds yet (and those handed back by
 * failed readers) and hands them to readers, when a reader registers or asks for more.
 *
 * <p>Threading: every method runs on the job's source coordinator thread, never concurrently and never on a task
 * thread; methods should return quickly (slow work such as listing partitions belongs in
 * {@link SplitEnumeratorContext#schedulePeriodic periodic actions}, which run on the same thread).
 *
 * <p>Checkpoints: {@link #snapshotState} is called on that thread when a checkpoint starts, before the readers take
 * theirs. Assignments made before it reach each reader before its checkpoint barrier, later ones after it, so every
 * split is in exactly one place in a checkpoint: with the enumerator, or with one reader (with its position). A split
 * a reader finished is recorded by its id, and the runtime never assigns a split with that id again.
 *
 * <p>Call order: {@link #start}, then any of {@link #addReader}, {@link #handleSplitRequest}, {@link #addSplitsBack},
 * {@link #snapshotState}, then {@link #close}.
 *
 * @param <S> the split type
 */
public interface SplitEnumerator<S extends SourceSplit> extends AutoCloseable {

    /** Starts the enumerator (schedules periodic discovery, for example). */
    default void start() {}

    /**
     * Reader {@code subtask} registered (at every start of that reader, also after a restart): assign it the splits it
     * should start with, now or later.
     */
    void addReader(int subtask);

    /** Reader {@code subtask} asks for a split (a reader that reads one split at a time, when it has none). */
    default void handleSplitRequest(int subtask) {}

    /** Splits reader {@code subtask} held but will not finish (it failed): this enumerator owns them again. */
    void addSplitsBack(List<S> splits, int subtask);

    /** The splits this enumerator owns now (assigned to no reader): its whole checkpoint state. */
    List<S> snapshotState(long checkpointId) throws Exception;

    @Override
    default void close() throws Exception {}
}
