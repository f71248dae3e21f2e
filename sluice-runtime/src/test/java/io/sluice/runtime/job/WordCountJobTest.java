package io.sluice.runtime.job;

import static io.sluice.runtime.job.Multisets.assertSameMultiset;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.api.DataStream;
import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.JobResult;
import io.sluice.api.functions.Collector;
import io.sluice.api.functions.KeyedProcessFunction;
import io.sluice.api.functions.RuntimeContext;
import io.sluice.api.sink.CollectSink;
import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Word count, two ways, at several parallelisms, against a count made in plain Java. */
class WordCountJobTest {

    record WordCount(String word, long count) {}

    static final long SEED = 12345L;

    /** Lines of words from a small vocabulary, with empty lines and repeated spaces. */
    static List<String> lines(long seed, int count) {
        Random random = new Random(seed);
        String[] vocabulary = {"the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "sluice", "stream",
            "key", "group", "a", "b", "zebra", "ünïcode", "日本"};
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder sb = new StringBuilder();
            int words = random.nextInt(12);
            for (int w = 0; w < words; w++) {
                if (w > 0) {
                    sb.append(random.nextInt(10) == 0 ? "  " : " ");
                }
                // skewed: low indices are much more frequent
                int idx = Math.min(random.nextInt(vocabulary.length), random.nextInt(vocabulary.length));
                sb.append(vocabulary[idx]);
            }
            lines.add(sb.toString());
        }
        // words that occur exactly once
        lines.add("singleton-one singleton-two");
        return lines;
    }

    static Map<String, Long> oracle(List<String> lines) {
        Map<String, Long> counts = new HashMap<>();
        for (String line : lines) {
            for (String w : line.split(" ")) {
                if (!w.isEmpty()) {
                    counts.merge(w, 1L, Long::sum);
                }
            }
        }
        return counts;
    }

    static DataStream<WordCount> words(StreamEnvironment env, List<String> lines) {
        return env.fromCollection(lines, Types.STRING).name("Lines")
                .flatMap((String line, Collector<WordCount> out) -> {
                    for (String w : line.split(" ")) {
                        if (!w.isEmpty()) {
                            out.collect(new WordCount(w, 1));
                        }
                    }
                }, Types.of(WordCount.class)).name("Split");
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 4})
    void runningReduceGivesEveryIntermediateCountOnceAndTheFinalCountAsMaximum(int parallelism) throws Exception {
        List<String> lines = lines(SEED, 3_000);
        Map<String, Long> expected = oracle(lines);
        StreamEnvironment env = StreamEnvironment.create().setParallelism(parallelism);
        CollectSink<WordCount> sink = new CollectSink<>();
        words(env, lines)
                .keyBy(WordCount::word, Types.STRING)
                .reduce((a, b) -> new WordCount(a.word(), a.count() + b.count())).name("Count")
                .sinkTo(sink).name("Out");
        JobResult result = env.execute("word-count-reduce");
        List<WordCount> out = sink.results();
        sink.clear();

        Map<String, Long> finalCounts = new HashMap<>();
        for (WordCount wc : out) {
            finalCounts.merge(wc.word(), wc.count(), Math::max);
        }
        String where = "seed " + SEED + ", parallelism " + parallelism;
        assertEquals(expected, finalCounts, where);

        // a running count per key: word w with n occurrences is emitted with 1, 2, ..., n, each once
        List<WordCount> running = new ArrayList<>();
        expected.forEach((w, n) -> {
            for (long c = 1; c <= n; c++) {
                running.add(new WordCount(w, c));
            }
        });
        assertSameMultiset(running, out, where);
        long totalWords = expected.values().stream().mapToLong(Long::longValue).sum();
        assertEquals(totalWords, result.operator("Count").recordsOut(), where);
    }

    /** Counts per key in value state; a timer at the end of time emits each key's final count once. */
    static final class FinalCount implements KeyedProcessFunction<String, WordCount, WordCount> {
        private transient ValueState<Long> count;

        @Override
        public void open(RuntimeContext context) {
            count = context.getState(new ValueStateDescriptor<>("count", Types.LONG, 0L));
        }

        @Override
        public void processElement(WordCount value, Context<String> ctx, Collector<WordCount> out) {
            count.update(count.value() + value.count());
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext<String> ctx, Collector<WordCount> out) {
            out.collect(new WordCount(ctx.currentKey(), count.value()));
        }
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 4})
    void timerAtTheEndOfTimeEmitsEachFinalCountExactlyOnce(int parallelism) throws Exception {
        List<String> lines = lines(SEED + 1, 3_000);
        Map<String, Long> expected = oracle(lines);
        StreamEnvironment env = StreamEnvironment.create().setParallelism(parallelism);
        CollectSink<WordCount> sink = new CollectSink<>();
        words(env, lines)
                .keyBy(WordCount::word, Types.STRING)
                .process(new FinalCount(), Types.of(WordCount.class)).name("FinalCount")
                .sinkTo(sink).name("Out");
        JobResult result = env.execute("word-count-timer");
        List<WordCount> out = sink.results();
        sink.clear();

        String where = "seed " + (SEED + 1) + ", parallelism " + parallelism;
        List<WordCount> expectedRecords = expected.entrySet().stream().map(e -> new WordCount(e.getKey(), e.getValue())).toList();
        assertSameMultiset(expectedRecords, out, where);
        assertEquals(expected.size(), result.operator("FinalCount").recordsOut(), where);
        assertEquals(expected.size(), result.operator("Out").recordsIn(), where);
    }
}
