package io.sluice.examples;

import io.sluice.api.source.InputStatus;
import io.sluice.api.source.Source;
import io.sluice.api.source.SourceOutput;
import io.sluice.api.source.SourceReader;
import io.sluice.api.source.EnumeratorCheckpoint;
import io.sluice.api.source.SourceReaderContext;
import io.sluice.api.source.SplitEnumerator;
import io.sluice.api.source.SplitEnumeratorContext;
import io.sluice.api.source.SourceSplit;
import io.sluice.api.types.TypeSerializer;
import java.util.List;

/**
 * Any source, at most {@code recordsPerSecond} records per second over all subtasks (on average: the wrapped reader
 * still emits whole batches). Splits and positions are the wrapped source's, so checkpoints are unchanged.
 */
public final class RateLimitedSource<T, S extends SourceSplit> implements Source<T, S> {
    private final Source<T, S> source;
    private final double recordsPerSecond;

    private RateLimitedSource(Source<T, S> source, double recordsPerSecond) {
        this.source = source;
        this.recordsPerSecond = recordsPerSecond;
    }

    /** {@code source} itself when {@code recordsPerSecond} is 0 or less. */
    public static <T, S extends SourceSplit> Source<T, S> of(Source<T, S> source, double recordsPerSecond) {
        return recordsPerSecond > 0 ? new RateLimitedSource<>(source, recordsPerSecond) : source;
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

    /** The wrapped source's enumerator: splits are handed out as it would (on request, for files). */
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
        SourceReader<T, S> reader = source.createReader(context);
        double perReader = recordsPerSecond / context.parallelism();
        return new SourceReader<>() {
            private final long start = System.nanoTime();
            private long emitted;

            private void count() {
                emitted++;
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
                double allowed = (System.nanoTime() - start) / 1e9 * perReader;
                if (emitted > allowed) {
                    return InputStatus.NOTHING_AVAILABLE;
                }
                return reader.pollNext(new Counting<>(output, this::count));
            }

            @Override
            public long nanosUntilAvailable() {
                return Math.max(1_000_000L, reader.nanosUntilAvailable());
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
        };
    }

    /** Passes records on and counts them, also through the per-split outputs it hands out. */
    private record Counting<T>(SourceOutput<T> output, Runnable counter) implements SourceOutput<T> {
        @Override
        public void collect(T record) {
            counter.run();
            output.collect(record);
        }

        @Override
        public void collect(T record, long timestamp) {
            counter.run();
            output.collect(record, timestamp);
        }

        @Override
        public SourceOutput<T> forSplit(String splitId) {
            return new Counting<>(output.forSplit(splitId), counter);
        }

        @Override
        public void releaseSplit(String splitId) {
            output.releaseSplit(splitId);
        }

        @Override
        public <X> void output(io.sluice.api.functions.OutputTag<X> tag, X value) {
            output.output(tag, value);
        }
    }
}
