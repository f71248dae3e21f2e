package io.sluice.api.source;

import io.sluice.api.types.TypeSerializer;
import java.io.Serializable;
import java.util.List;

/**
 * A split-based source: the input is cut into splits, a {@link SplitEnumerator} on the coordinator side hands them to
 * the parallel readers, and each reader reports its position per split. A checkpoint stores the splits the
 * enumerator still owns, each reader's splits with their positions, and the ids of the splits finished.
 *
 * <p>The source object is part of the job graph ({@link Serializable}); {@link #createEnumerator} (or
 * {@link #restoreEnumerator}) runs once per run of the job on the source coordinator thread, {@link #createReader}
 * once per parallel subtask on its task thread.
 */
public interface Source<T, S extends SourceSplit> extends Serializable {

    /** The serializer of the records this source emits. */
    TypeSerializer<T> outputType();

    /** Whether the source ends. A job whose sources are all bounded finishes. */
    boolean isBounded();

    /**
     * Cuts the input into splits. {@code parallelism} is a hint: more splits than subtasks is fine
     * (they are assigned round-robin). Bad configuration (a missing path) fails here, before any task starts.
     */
    List<S> createSplits(int parallelism) throws Exception;

    SourceReader<T, S> createReader(SourceReaderContext context) throws Exception;

    /**
     * The enumerator of a fresh start. The default deals {@link #createSplits} over the readers
     * ({@link StaticSplitEnumerator}); a source that hands out splits on request or discovers new ones overrides it.
     * Bad configuration fails here, before any task starts.
     */
    default SplitEnumerator<S> createEnumerator(SplitEnumeratorContext<S> context) throws Exception {
        return new StaticSplitEnumerator<>(context, createSplits(context.parallelism()));
    }

    /**
     * The enumerator of a restored run: it owns {@code checkpoint.unassigned()}. The default deals those over the
     * readers; readers get the splits they held from their own state.
     */
    default SplitEnumerator<S> restoreEnumerator(SplitEnumeratorContext<S> context, EnumeratorCheckpoint<S> checkpoint)
            throws Exception {
        return new StaticSplitEnumerator<>(context, checkpoint.unassigned());
    }
}
