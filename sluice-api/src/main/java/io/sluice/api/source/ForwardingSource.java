package io.sluice.api.source;

import io.sluice.api.types.TypeSerializer;
import java.util.List;
import java.util.Objects;

/**
 * A source that wraps another and passes every call on to it, as {@link SourceReader} asks of a wrapping source: its
 * output type, splits and enumerators (created and restored) are the wrapped source's, so its checkpoints are too. A
 * subclass overrides what it changes, usually {@link #createReader} with a {@link ForwardingSourceReader} over the
 * wrapped source's reader. Serializable with the wrapped source, as every source is part of its job's graph.
 *
 * @param <T> the records
 * @param <S> the splits
 */
public abstract class ForwardingSource<T, S extends SourceSplit> implements Source<T, S> {
    private final Source<T, S> source;

    /** A source passing every call on to {@code source}. */
    protected ForwardingSource(Source<T, S> source) {
        this.source = Objects.requireNonNull(source, "the wrapped source");
    }

    /** The wrapped source. */
    protected final Source<T, S> wrapped() {
        return source;
    }

    @Override
    public TypeSerializer<T> outputType() {
        return source.outputType();
    }

    @Override
    public boolean isBounded() {
        return source.isBounded();
    }

    @Override
    public List<S> createSplits(int parallelism) throws Exception {
        return source.createSplits(parallelism);
    }

    @Override
    public SplitEnumerator<S> createEnumerator(SplitEnumeratorContext<S> context) throws Exception {
        return source.createEnumerator(context);
    }

    @Override
    public SplitEnumerator<S> restoreEnumerator(SplitEnumeratorContext<S> context, EnumeratorCheckpoint<S> checkpoint)
            throws Exception {
        return source.restoreEnumerator(context, checkpoint);
    }

    @Override
    public SourceReader<T, S> createReader(SourceReaderContext context) throws Exception {
        return source.createReader(context);
    }
}
