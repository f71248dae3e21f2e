package io.sluice.examples;

import io.sluice.api.DataStream;
import io.sluice.api.StreamEnvironment;
import io.sluice.api.StreamSink;
import io.sluice.api.functions.Collector;
import io.sluice.api.functions.KeyedProcessFunction;
import io.sluice.api.functions.RuntimeContext;
import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.Types;
import io.sluice.connectors.file.TextFileSource;
import io.sluice.connectors.file.TextFileSink;

/**
 * Counts words in text files and writes the final count of each word, one {@code word<TAB>count} line per word.
 *
 * <p>The count per word is keyed state; each word registers an event-time timer at the end of time, which fires
 * when the bounded input ends (its final watermark), so each word is written once, with its final count.
 */
public final class WordCount {
    private WordCount() {}

    /** Adds the word count job reading {@code input} and writing {@code output} (a file) to {@code env}. */
    public static StreamSink define(StreamEnvironment env, String input, String output) {
        return counts(env.fromSource(new TextFileSource(input), "Read " + input))
                .sinkTo(new TextFileSink<>(output)).name("Write " + output).setParallelism(1);
    }

    /** The word counts of a stream of lines, as {@code word<TAB>count} strings. */
    public static DataStream<String> counts(DataStream<String> lines) {
        return lines.flatMap(Words::split, Types.STRING).name("Split words")
                .keyBy(w -> w, Types.STRING)
                .process(new FinalCount(), Types.STRING).name("Count");
    }

    /** Counts per word; emits the final count when the input has ended. */
    static final class FinalCount implements KeyedProcessFunction<String, String, String> {
        private transient ValueState<Long> count;

        @Override
        public void open(RuntimeContext context) {
            count = context.getState(new ValueStateDescriptor<>("count", Types.LONG));
        }

        @Override
        public void processElement(String word, Context<String> ctx, Collector<String> out) {
            Long previous = count.value();
            if (previous == null) {
                ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
                count.update(1L);
            } else {
                count.update(previous + 1);
            }
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext<String> ctx, Collector<String> out) {
            out.collect(ctx.currentKey() + "\t" + count.value());
            count.clear();
        }
    }
}
