package io.sluice.runtime.job;

import static io.sluice.runtime.job.Multisets.assertSameMultiset;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.api.DataStream;
import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.JobResult;
import io.sluice.api.functions.CoProcessFunction;
import io.sluice.api.functions.Collector;
import io.sluice.api.functions.ProcessFunction;
import io.sluice.api.functions.RuntimeContext;
import io.sluice.api.sink.CollectSink;
import io.sluice.api.types.Types;
import io.sluice.runtime.state.KeyGroups;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Streams that merge: union of several streams, and two connected streams feeding one function. */
class UnionAndConnectJobTest {

    static final long SEED = 777L;

    static List<Long> randomLongs(long seed, int n) {
        Random random = new Random(seed);
        List<Long> values = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            values.add(random.nextLong(-1_000_000, 1_000_000));
        }
        return values;
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 4})
    void unionOfThreeStreamsDeliversEveryRecordOfEach(int parallelism) throws Exception {
        List<Long> random = randomLongs(SEED, 5_000);
        List<Long> expected = new ArrayList<>();
        for (long v = 1; v <= 20_000; v++) {
            expected.add(v * 3);
        }
        for (long v : random) {
            expected.add(v * 3);
        }
        for (long v = 100; v <= 300; v++) {
            expected.add(-v * 3);
        }

        StreamEnvironment env = StreamEnvironment.create().setParallelism(parallelism);
        DataStream<Long> a = env.generateSequence(1, 20_000).name("A");
        DataStream<Long> b = env.fromCollection(random, Types.LONG).name("B").setParallelism(1);
        DataStream<Long> c = env.generateSequence(100, 300).name("C").map(v -> -v).name("Negate");
        CollectSink<Long> sink = new CollectSink<>();
        a.union(b, c).map(v -> v * 3).name("Triple").sinkTo(sink).name("Out");
        JobResult result = env.execute("union-three");
        List<Long> out = sink.results();
        sink.clear();

        String where = "seed " + SEED + ", parallelism " + parallelism;
        assertSameMultiset(expected, out, where);
        assertEquals(expected.size(), result.operator("Triple").recordsIn(), where);
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 4})
    void unionOfAStreamWithItselfDeliversEveryRecordTwice(int parallelism) throws Exception {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(parallelism);
        DataStream<Long> a = env.generateSequence(1, 10_000).name("A");
        CollectSink<Long> sink = new CollectSink<>();
        a.union(a).map(v -> v).name("Both").sinkTo(sink).name("Out");
        env.execute("self-union");
        List<Long> out = sink.results();
        sink.clear();

        List<Long> expected = new ArrayList<>();
        for (long v = 1; v <= 10_000; v++) {
            expected.add(v);
            expected.add(v);
        }
        assertSameMultiset(expected, out, "parallelism " + parallelism);
    }

    /** Tags each record with the input it came through. */
    static final class TagInput implements CoProcessFunction<Long, String, String> {
        @Override
        public void processElement1(Long value, ProcessFunction.Context ctx, Collector<String> out) {
            out.collect("first:" + value);
        }

        @Override
        public void processElement2(String value, ProcessFunction.Context ctx, Collector<String> out) {
            out.collect("second:" + value);
        }
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 4})
    void connectedStreamsReachTheirOwnMethod(int parallelism) throws Exception {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            words.add("w" + (i % 250));
        }
        StreamEnvironment env = StreamEnvironment.create().setParallelism(parallelism);
        DataStream<Long> numbers = env.generateSequence(1, 5_000).name("Numbers");
        DataStream<String> strings = env.fromCollection(words, Types.STRING).name("Words");
        CollectSink<String> sink = new CollectSink<>();
        numbers.connect(strings).process(new TagInput(), Types.STRING).name("Tag").sinkTo(sink).name("Out");
        JobResult result = env.execute("connect");
        List<String> out = sink.results();
        sink.clear();

        List<String> expected = new ArrayList<>();
        for (long v = 1; v <= 5_000; v++) {
            expected.add("first:" + v);
        }
        for (String w : words) {
            expected.add("second:" + w);
        }
        String where = "parallelism " + parallelism;
        assertSameMultiset(expected, out, where);
        assertEquals(expected.size(), result.operator("Tag").recordsIn(), where);
        assertEquals(expected.size(), result.operator("Tag").recordsOut(), where);
    }

    record Seen(int subtask, String input, long key) {}

    /** Records, for every record, which subtask of the function saw it and through which input. */
    static final class WhereSeen implements CoProcessFunction<Long, Long, Seen> {
        private int subtask;

        @Override
        public void open(RuntimeContext context) {
            subtask = context.subtaskIndex();
        }

        @Override
        public void processElement1(Long value, ProcessFunction.Context ctx, Collector<Seen> out) {
            out.collect(new Seen(subtask, "first", value % 61));
        }

        @Override
        public void processElement2(Long value, ProcessFunction.Context ctx, Collector<Seen> out) {
            out.collect(new Seen(subtask, "second", value % 61));
        }
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 4})
    void connectedKeyedStreamsMeetKeyByKeyOnOneSubtask(int parallelism) throws Exception {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(parallelism);
        DataStream<Long> left = env.generateSequence(1, 4_000).name("Left");
        DataStream<Long> right = env.generateSequence(1, 3_000).name("Right").setParallelism(1);
        CollectSink<Seen> sink = new CollectSink<>();
        left.keyBy(v -> v % 61, Types.LONG)
                .connect(right.keyBy(v -> v % 61, Types.LONG))
                .process(new WhereSeen(), Types.of(Seen.class)).name("Meet")
                .sinkTo(sink).name("Out");
        env.execute("keyed-connect");
        List<Seen> out = sink.results();
        sink.clear();

        String where = "parallelism " + parallelism;
        assertEquals(7_000, out.size(), where);
        Map<Long, Integer> subtaskOfKey = new HashMap<>();
        Map<String, Integer> perInput = new HashMap<>();
        for (Seen s : out) {
            Integer before = subtaskOfKey.putIfAbsent(s.key(), s.subtask());
            if (before != null) {
                assertEquals(before.intValue(), s.subtask(), where + ": key " + s.key() + " seen on two subtasks");
            }
            perInput.merge(s.input(), 1, Integer::sum);
            int owner = KeyGroups.subtaskOf(KeyGroups.keyGroupOf(s.key(), 128), 128, parallelism);
            assertEquals(owner, s.subtask(), where + ": key " + s.key() + " not on the subtask owning its key group");
        }
        assertEquals(Map.of("first", 4_000, "second", 3_000), perInput, where);
    }
}
