package io.sluice.nexmark.sink;

import io.sluice.api.sink.Sink;
import io.sluice.api.sink.SinkContext;
import io.sluice.api.sink.SinkWriter;
import io.sluice.nexmark.results.ResultDigest;
import io.sluice.nexmark.run.ResultCounter;
import io.sluice.nexmark.run.ResultLines;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The correctness-check sink: keeps every result's {@code toString()} and, when the input ends, writes them sorted
 * to one file ({@link ResultLines}: one line each, {@code \n}); also counts results and digests into
 * {@link ResultCounter}. Holds all lines in memory: for bounded inputs. Must run with parallelism 1
 * ({@code sinkTo(...).setParallelism(1)}); the file is written only when the input has ended normally.
 */
public final class SortedLinesSink<T> implements Sink<T> {
    private final String file;

    public SortedLinesSink(Path file) {
        this.file = file.toString();
    }

    @Override
    public SinkWriter<T> createWriter(SinkContext context) {
        if (context.parallelism() != 1) {
            throw new IllegalStateException("SortedLinesSink writes one file: give it parallelism 1, not "
                    + context.parallelism());
        }
        return new SinkWriter<>() {
            private final List<String> lines = new ArrayList<>();
            private long digest;

            @Override
            public void write(T result) {
                lines.add(result.toString());
                digest += ResultDigest.of(result);
            }

            @Override
            public void finish() throws Exception {
                ResultLines.writeSorted(lines, Path.of(file));
                ResultCounter.add(lines.size(), digest);
            }

            @Override
            public void close() {}
        };
    }
}
