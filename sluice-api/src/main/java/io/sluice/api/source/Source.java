package io.sluice.api.source;

import io.sluice.api.types.TypeSerializer;
import java.io.Serializable;
import java.util.List;

/**
 * A split-based source: the input is cut into splits, splits are handed to the parallel readers, and each
 * reader reports its position per split, which is what a checkpoint stores.
 *
 * <p>The source object is part of the job graph ({@link Serializable}); {@link #createSplits} runs once per job
 * when it is planned, {@link #createReader} once per parallel subtask on its task thread.
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
}
