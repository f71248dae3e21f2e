package io.sluice.api.source;

import java.util.List;
import java.util.Objects;

/**
 * A reader that wraps another and passes every call on to it, as {@link SourceReader} asks of a wrapping reader
 * ({@link #notifyNoMoreSplits}, {@link #snapshotSplits(long)} and {@link #notifyCheckpointComplete} included). A
 * subclass overrides what it changes, usually {@link #pollNext} and {@link #nanosUntilAvailable}, and reaches the
 * wrapped reader through {@link #wrapped()}. Called as every reader is: on its task thread, never concurrently.
 *
 * @param <T> the records
 * @param <S> the splits
 */
public class ForwardingSourceReader<T, S extends SourceSplit> implements SourceReader<T, S> {
    private final SourceReader<T, S> reader;

    /** A reader passing every call on to {@code reader}. */
    public ForwardingSourceReader(SourceReader<T, S> reader) {
        this.reader = Objects.requireNonNull(reader, "the wrapped reader");
    }

    /** The wrapped reader. */
    protected final SourceReader<T, S> wrapped() {
        return reader;
    }

    @Override
    public void addSplits(List<S> splits) throws Exception {
        reader.addSplits(splits);
    }

    @Override
    public void notifyNoMoreSplits() {
        reader.notifyNoMoreSplits();
    }

    @Override
    public InputStatus pollNext(SourceOutput<T> output) throws Exception {
        return reader.pollNext(output);
    }

    @Override
    public long nanosUntilAvailable() {
        return reader.nanosUntilAvailable();
    }

    @Override
    public List<S> snapshotSplits() {
        return reader.snapshotSplits();
    }

    @Override
    public List<S> snapshotSplits(long checkpointId) {
        return reader.snapshotSplits(checkpointId);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        reader.notifyCheckpointComplete(checkpointId);
    }

    @Override
    public void close() throws Exception {
        reader.close();
    }
}
