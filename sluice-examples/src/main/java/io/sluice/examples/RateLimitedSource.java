package io.sluice.examples;

import io.sluice.api.source.ForwardingSource;
import io.sluice.api.source.ForwardingSourceReader;
import io.sluice.api.source.InputStatus;
import io.sluice.api.source.Source;
import io.sluice.api.source.SourceOutput;
import io.sluice.api.source.SourceReader;
import io.sluice.api.source.SourceReaderContext;
import io.sluice.api.source.SourceSplit;

/**
 * Any source, at most {@code recordsPerSecond} records per second over all subtasks (on average: the wrapped reader
 * still emits whole batches). Splits, positions and enumerators (handing out splits as the wrapped source does: on
 * request, for files) are the wrapped source's, so checkpoints are unchanged.
 */
public final class RateLimitedSource<T, S extends SourceSplit> extends ForwardingSource<T, S> {
    private final double recordsPerSecond;

    private RateLimitedSource(Source<T, S> source, double recordsPerSecond) {
        super(source);
        this.recordsPerSecond = recordsPerSecond;
    }

    /** {@code source} itself when {@code recordsPerSecond} is 0 or less. */
    public static <T, S extends SourceSplit> Source<T, S> of(Source<T, S> source, double recordsPerSecond) {
        return recordsPerSecond > 0 ? new RateLimitedSource<>(source, recordsPerSecond) : source;
    }

    /** The wrapped source's reader, polled only while its subtask's share of the rate allows. */
    @Override
    public SourceReader<T, S> createReader(SourceReaderContext context) throws Exception {
        double perReader = recordsPerSecond / context.parallelism();
        return new ForwardingSourceReader<>(wrapped().createReader(context)) {
            private final long start = System.nanoTime();
            private long emitted;

            private void count() {
                emitted++;
            }

            @Override
            public InputStatus pollNext(SourceOutput<T> output) throws Exception {
                double allowed = (System.nanoTime() - start) / 1e9 * perReader;
                if (emitted > allowed) {
                    return InputStatus.NOTHING_AVAILABLE;
                }
                return wrapped().pollNext(new Counting<>(output, this::count));
            }

            @Override
            public long nanosUntilAvailable() {
                return Math.max(1_000_000L, wrapped().nanosUntilAvailable());
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
