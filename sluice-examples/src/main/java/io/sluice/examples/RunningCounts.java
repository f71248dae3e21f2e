package io.sluice.examples;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.StreamSink;
import io.sluice.api.functions.Collector;
import io.sluice.api.functions.KeyedProcessFunction;
import io.sluice.api.functions.RuntimeContext;
import io.sluice.api.source.Source;
import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.Types;
import io.sluice.connectors.file.TextFileSource;
import io.sluice.connectors.file.TransactionalFileSink;

/**
 * For every word occurrence emits {@code word<TAB>n}, n being that word's running count, into a transactional file
 * sink. With exactly-once checkpoints, after any number of failures and resumes the committed files hold, for each
 * word seen N times, the lines n = 1..N, each exactly once. (The built-in example {@code counts}.)
 */
public final class RunningCounts {
    private RunningCounts() {}

    /**
     * Adds the job to {@code env}: reads {@code input} (at most {@code linesPerSecond} lines per second in total, 0 for
     * no limit), writes committed part files into {@code outputDir}.
     */
    public static StreamSink define(StreamEnvironment env, String input, String outputDir, double linesPerSecond) {
        return define(env, RateLimitedSource.of(new TextFileSource(input), linesPerSecond), "Read " + input, outputDir);
    }

    /**
     * Adds the job to {@code env} with its lines from {@code lines} (a {@link TextFileSource}, wrapped say), in a source
     * vertex named {@code name}: the same job, with the same uids, as {@link #define(StreamEnvironment, String, String,
     * double)}; writes committed part files into {@code outputDir}.
     */
    public static StreamSink define(StreamEnvironment env, Source<String, ?> lines, String name, String outputDir) {
        return env.fromSource(lines, name).uid("read")
                .flatMap(Words::split, Types.STRING).name("Split words").uid("split")
                .keyBy(w -> w, Types.STRING)
                .process(new Count(), Types.STRING).name("Count").uid("count")
                .sinkTo(new TransactionalFileSink<>(outputDir)).name("Write " + outputDir).uid("write");
    }

    /** The running count of each word: emits {@code word<TAB>n} for the n-th occurrence of a word (the key). */
    public static final class Count implements KeyedProcessFunction<String, String, String> {
        private transient ValueState<Long> count;

        @Override
        public void open(RuntimeContext context) {
            count = context.getState(new ValueStateDescriptor<>("count", Types.LONG, 0L));
        }

        @Override
        public void processElement(String word, Context<String> ctx, Collector<String> out) {
            long n = count.value() + 1;
            count.update(n);
            out.collect(word + "\t" + n);
        }
    }
}
