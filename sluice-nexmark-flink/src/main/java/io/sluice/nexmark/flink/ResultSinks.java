package io.sluice.nexmark.flink;

import io.sluice.nexmark.results.ResultDigest;
import io.sluice.nexmark.run.ResultCounter;
import io.sluice.nexmark.run.ResultLines;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * The two sinks of a Flink Nexmark run, the counterparts of Sluice's {@code ResultCountingSink} and
 * {@code SortedLinesSink}: they hand their totals to the JVM-wide {@link ResultCounter} when their input ends
 * ({@code flush(true)}), which works because the MiniCluster runs the job in this JVM.
 */
public final class ResultSinks {
    private ResultSinks() {}

    /** Throughput runs: counts results and sums their {@link ResultDigest}s per subtask. Any parallelism. */
    public static <T> Sink<T> counting() {
        return new Counting<>();
    }

    /**
     * Correctness checks: keeps every result's {@code toString()} and when the input ends writes them sorted to
     * {@code file} ({@link ResultLines}); also counts into {@link ResultCounter}. Parallelism 1.
     */
    public static <T> Sink<T> sortedLines(Path file) {
        return new SortedLines<>(file.toString());
    }

    private static final class Counting<T> implements Sink<T> {
        @Override
        public SinkWriter<T> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                private long count;
                private long digest;

                @Override
                public void write(T result, Context context) {
                    count++;
                    digest += ResultDigest.of(result);
                }

                @Override
                public void flush(boolean endOfInput) {
                    if (endOfInput) {
                        ResultCounter.add(count, digest);
                        count = 0;
                        digest = 0;
                    }
                }

                @Override
                public void close() {}
            };
        }
    }

    private static final class SortedLines<T> implements Sink<T> {
        private final String file;

        SortedLines(String file) {
            this.file = file;
        }

        @Override
        public SinkWriter<T> createWriter(WriterInitContext context) {
            int parallelism = context.getTaskInfo().getNumberOfParallelSubtasks();
            if (parallelism != 1) {
                throw new IllegalStateException("the sorted-lines sink writes one file: give it parallelism 1, not "
                        + parallelism);
            }
            return new SinkWriter<>() {
                private final List<String> lines = new ArrayList<>();
                private long digest;

                @Override
                public void write(T result, Context context) {
                    lines.add(result.toString());
                    digest += ResultDigest.of(result);
                }

                @Override
                public void flush(boolean endOfInput) throws IOException {
                    if (endOfInput) {
                        ResultLines.writeSorted(lines, Path.of(file));
                        ResultCounter.add(lines.size(), digest);
                    }
                }

                @Override
                public void close() {}
            };
        }
    }
}
