package io.sluice.nexmark.sink;

import io.sluice.api.sink.Sink;
import io.sluice.api.sink.SinkContext;
import io.sluice.api.sink.SinkWriter;
import io.sluice.nexmark.results.ResultDigest;
import io.sluice.nexmark.run.ResultCounter;

/**
 * The throughput-run sink: counts results and sums their {@link ResultDigest}s per subtask (two plain fields, no
 * formatting, no sharing) and adds the totals to {@link ResultCounter} when its input ends. Any parallelism.
 */
public final class ResultCountingSink<T> implements Sink<T> {

    @Override
    public SinkWriter<T> createWriter(SinkContext context) {
        return new SinkWriter<>() {
            private long count;
            private long digest;

            @Override
            public void write(T result) {
                count++;
                digest += ResultDigest.of(result);
            }

            @Override
            public void finish() {
                ResultCounter.add(count, digest);
            }

            @Override
            public void close() {}
        };
    }
}
