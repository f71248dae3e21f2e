package io.sluice.nexmark;

import io.sluice.api.DataStream;
import io.sluice.api.StreamEnvironment;
import io.sluice.api.sink.Sink;
import io.sluice.nexmark.generator.NexmarkConfig;
import io.sluice.nexmark.queries.NexmarkQueries;
import io.sluice.nexmark.run.Query;
import io.sluice.nexmark.sink.ResultCountingSink;
import io.sluice.nexmark.sink.SortedLinesSink;
import java.nio.file.Path;

/**
 * A whole Nexmark job on Sluice: the generated events of a configuration, one query, and a sink. Used by the
 * {@code sluice run nexmark} command and the tests.
 *
 * <pre>{@code
 * StreamEnvironment env = StreamEnvironment.create();
 * NexmarkJob.countResults(NexmarkJob.define(env, Query.Q5, NexmarkConfig.of(2_000_000)));
 * env.execute("nexmark q5");   // then RunLine.now(...) with RunClock and ResultCounter
 * }</pre>
 */
public final class NexmarkJob {
    private NexmarkJob() {}

    /** Adds the source and {@code query} to {@code env} and returns the query's results. */
    public static DataStream<?> define(StreamEnvironment env, Query query, NexmarkConfig config) {
        return NexmarkQueries.of(config).query(query, NexmarkQueries.source(env, config));
    }

    /** Ends {@code results} in a {@link ResultCountingSink} (throughput runs). */
    public static void countResults(DataStream<?> results) {
        sink(results, new ResultCountingSink<>(), 0);
    }

    /** Ends {@code results} in a {@link SortedLinesSink} writing {@code file} (correctness checks). */
    public static void writeSortedLines(DataStream<?> results, Path file) {
        sink(results, new SortedLinesSink<>(file), 1);
    }

    /** Ends {@code results} in {@code sink} (any sink of the results' type), with {@code parallelism} if positive. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static void sink(DataStream<?> results, Sink<?> sink, int parallelism) {
        var s = ((DataStream) results).sinkTo((Sink) sink).name("Results").uid("results-sink");
        if (parallelism > 0) {
            s.setParallelism(parallelism);
        }
    }
}
