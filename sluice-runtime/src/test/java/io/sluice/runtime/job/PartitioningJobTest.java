package io.sluice.runtime.job;

import static io.sluice.runtime.job.Multisets.assertSameMultiset;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.DataStream;
import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.JobResult;
import io.sluice.api.functions.Collector;
import io.sluice.api.functions.KeyedProcessFunction;
import io.sluice.api.functions.MapFunction;
import io.sluice.api.functions.RuntimeContext;
import io.sluice.api.sink.CollectSink;
import io.sluice.api.types.Types;
import io.sluice.runtime.state.KeyGroups;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Forward, rebalance, shuffle, broadcast and keyBy: what arrives, and at which subtask. */
class PartitioningJobTest {

    static final long N = 20_000;

    /** A value and the subtask of the operator that saw it. */
    record Tagged(int subtask, long value) {}

    /** A map that tags each value with its subtask index, learned in {@code open}. */
    static final class TagSubtask implements MapFunction<Long, Tagged> {
        private int subtask = -1;

        @Override
        public void open(RuntimeContext context) {
            subtask = context.subtaskIndex();
        }

        @Override
        public Tagged map(Long value) {
            return new Tagged(subtask, value);
        }
    }

    /** Both tags: the producer's (before the edge) and the consumer's (after it). */
    record Hop(int from, int to, long value) {}

    static final class TagConsumer implements MapFunction<Tagged, Hop> {
        private int subtask = -1;

        @Override
        public void open(RuntimeContext context) {
            subtask = context.subtaskIndex();
        }

        @Override
        public Hop map(Tagged t) {
            return new Hop(t.subtask(), subtask, t.value());
        }
    }

    private static List<Hop> run(int parallelism, int sourceParallelism, Function<DataStream<Tagged>, DataStream<Tagged>> edge)
            throws Exception {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(parallelism);
        DataStream<Tagged> produced = env.generateSequence(1, N).name("Numbers").setParallelism(sourceParallelism)
                .map(new TagSubtask(), Types.of(Tagged.class)).name("Producer").setParallelism(sourceParallelism);
        CollectSink<Hop> sink = new CollectSink<>();
        edge.apply(produced).map(new TagConsumer(), Types.of(Hop.class)).name("Consumer").sinkTo(sink).name("Out");
        env.execute("partitioning");
        List<Hop> out = sink.results();
        sink.clear();
        return out;
    }

    private static List<Long> oneToN() {
        List<Long> all = new ArrayList<>();
        for (long v = 1; v <= N; v++) {
            all.add(v);
        }
        return all;
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 4})
    void forwardKeepsEachRecordOnItsSubtask(int p) throws Exception {
        List<Hop> out = run(p, p, DataStream::forward);
        String where = "forward, parallelism " + p;
        assertSameMultiset(oneToN(), out.stream().map(Hop::value).toList(), where);
        Map<Integer, long[]> rangeBySubtask = new HashMap<>();
        for (Hop h : out) {
            assertEquals(h.from(), h.to(), where + ": " + h);
            long[] range = rangeBySubtask.computeIfAbsent(h.to(), k -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE, 0});
            range[0] = Math.min(range[0], h.value());
            range[1] = Math.max(range[1], h.value());
            range[2]++;
        }
        // the sequence is cut into one contiguous range per subtask
        assertEquals(p, rangeBySubtask.size(), where);
        rangeBySubtask.forEach((s, r) -> assertEquals(r[1] - r[0] + 1, r[2], where + ": subtask " + s + " range not contiguous"));
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 4})
    void rebalanceFromOneProducerIsRoundRobin(int p) throws Exception {
        List<Hop> out = run(p, 1, DataStream::rebalance);
        String where = "rebalance 1 -> " + p;
        assertSameMultiset(oneToN(), out.stream().map(Hop::value).toList(), where);
        for (Hop h : out) {
            assertEquals(0, h.from(), where);
            // the single producer reads 1..N in order and deals them out in turn, starting at subtask 0
            assertEquals((int) ((h.value() - 1) % p), h.to(), where + ": value " + h.value());
        }
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 4})
    void rebalanceFromManyProducersSpreadsEvenly(int p) throws Exception {
        List<Hop> out = run(p, p, DataStream::rebalance);
        String where = "rebalance " + p + " -> " + p;
        assertSameMultiset(oneToN(), out.stream().map(Hop::value).toList(), where);
        // each producer deals its own records round-robin: per (producer, consumer) the counts differ by at most one
        Map<Integer, int[]> perProducer = new HashMap<>();
        for (Hop h : out) {
            perProducer.computeIfAbsent(h.from(), k -> new int[p])[h.to()]++;
        }
        perProducer.forEach((producer, counts) -> {
            int min = java.util.Arrays.stream(counts).min().orElseThrow();
            int max = java.util.Arrays.stream(counts).max().orElseThrow();
            assertTrue(max - min <= 1, where + ": producer " + producer + " dealt " + java.util.Arrays.toString(counts));
        });
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 4})
    void shuffleDeliversEveryRecordOnceAndUsesEverySubtask(int p) throws Exception {
        List<Hop> out = run(p, p, DataStream::shuffle);
        String where = "shuffle, parallelism " + p;
        assertSameMultiset(oneToN(), out.stream().map(Hop::value).toList(), where);
        int[] perConsumer = new int[p];
        for (Hop h : out) {
            perConsumer[h.to()]++;
        }
        for (int s = 0; s < p; s++) {
            // a seeded pseudo-random choice: roughly uniform, never degenerate
            assertTrue(perConsumer[s] > N / p / 2 && perConsumer[s] < N / p * 3 / 2,
                    where + ": " + java.util.Arrays.toString(perConsumer));
        }
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 4})
    void broadcastGivesEverySubtaskEveryRecord(int p) throws Exception {
        for (int producers : new int[] {1, p}) {
            List<Hop> out = run(p, producers, DataStream::broadcast);
            String where = "broadcast " + producers + " -> " + p;
            assertEquals(N * p, out.size(), where + ": p copies of every record");
            Map<Integer, List<Long>> bySubtask = new HashMap<>();
            for (Hop h : out) {
                bySubtask.computeIfAbsent(h.to(), k -> new ArrayList<>()).add(h.value());
            }
            assertEquals(p, bySubtask.size(), where);
            bySubtask.forEach((s, values) -> assertSameMultiset(oneToN(), values, where + ": subtask " + s));
        }
    }

    /** Emits each value tagged with the subtask that processed it. */
    static final class KeyedTagger implements KeyedProcessFunction<Long, Long, Tagged> {
        private int subtask;

        @Override
        public void open(RuntimeContext context) {
            subtask = context.subtaskIndex();
        }

        @Override
        public void processElement(Long value, Context<Long> ctx, Collector<Tagged> out) {
            out.collect(new Tagged(subtask, value));
        }
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 4})
    void keyByRoutesEachKeyToTheSubtaskOwningItsKeyGroup(int p) throws Exception {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(p);
        CollectSink<Tagged> sink = new CollectSink<>();
        env.generateSequence(1, N).name("Numbers")
                .keyBy(v -> v % 37, Types.LONG)
                .process(new KeyedTagger(), Types.of(Tagged.class)).name("Keyed")
                .sinkTo(sink).name("Out");
        JobResult result = env.execute("key-by");
        List<Tagged> out = sink.results();
        sink.clear();

        String where = "keyBy, parallelism " + p;
        assertSameMultiset(oneToN(), out.stream().map(Tagged::value).toList(), where);
        Map<Long, Integer> owner = new HashMap<>();
        for (Tagged t : out) {
            long key = t.value() % 37;
            Integer before = owner.putIfAbsent(key, t.subtask());
            assertEquals(before == null ? t.subtask() : before, t.subtask(), where + ": key " + key + " on two subtasks");
            assertEquals(KeyGroups.subtaskOf(KeyGroups.keyGroupOf(key, 128), 128, p), t.subtask(), where + ": key " + key);
        }
        if (p > 1) {
            assertTrue(owner.values().stream().distinct().count() > 1, where + ": 37 keys all on one subtask " + owner);
            assertEquals(1, result.channels().size(), where + ": the keyBy edge has channels");
            assertEquals(p * p, result.channels().getFirst().channels(), where);
        } else {
            assertTrue(result.channels().isEmpty(), where + ": everything chained at parallelism 1");
        }
    }
    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {2, 4})
    void aForwardEdgeThatNeedsAChannelStillSendsSubtaskIToSubtaskI(int p) throws Exception {
        // a union input is never chained, so these forward edges (equal parallelism, the default) get channels
        StreamEnvironment env = StreamEnvironment.create().setParallelism(p);
        DataStream<Tagged> a = env.generateSequence(1, N).name("A").map(new TagSubtask(), Types.of(Tagged.class)).name("TagA");
        DataStream<Tagged> b = env.generateSequence(-N, -1).name("B").map(new TagSubtask(), Types.of(Tagged.class)).name("TagB");
        CollectSink<Hop> sink = new CollectSink<>();
        a.union(b).map(new TagConsumer(), Types.of(Hop.class)).name("Consumer").sinkTo(sink).name("Out");
        JobResult result = env.execute("forward-channels");
        List<Hop> out = sink.results();
        sink.clear();

        String where = "union of forward edges, parallelism " + p;
        assertEquals(2, result.channels().size(), where + ": " + result.channels());
        assertEquals(2 * N, out.size(), where);
        int[] perConsumer = new int[p];
        for (Hop h : out) {
            assertEquals(h.from(), h.to(), where + ": " + h);
            perConsumer[h.to()]++;
        }
        for (int s = 0; s < p; s++) {
            assertTrue(perConsumer[s] > 0, where + ": consumer subtask " + s + " got nothing: " + java.util.Arrays.toString(perConsumer));
        }
    }

    /** Tags records of both inputs with the subtask that saw them. */
    static final class CoTagger implements io.sluice.api.functions.CoProcessFunction<Tagged, Tagged, Hop> {
        private int subtask = -1;

        @Override
        public void open(RuntimeContext context) {
            subtask = context.subtaskIndex();
        }

        @Override
        public void processElement1(Tagged t, io.sluice.api.functions.ProcessFunction.Context ctx, Collector<Hop> out) {
            out.collect(new Hop(t.subtask(), subtask, t.value()));
        }

        @Override
        public void processElement2(Tagged t, io.sluice.api.functions.ProcessFunction.Context ctx, Collector<Hop> out) {
            out.collect(new Hop(t.subtask(), subtask, -t.value()));
        }
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {2, 4})
    void connectedStreamsAtEqualParallelismGoSubtaskIToSubtaskI(int p) throws Exception {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(p);
        DataStream<Tagged> a = env.generateSequence(1, N).name("A").map(new TagSubtask(), Types.of(Tagged.class)).name("TagA");
        DataStream<Tagged> b = env.generateSequence(1, N).name("B").map(new TagSubtask(), Types.of(Tagged.class)).name("TagB");
        CollectSink<Hop> sink = new CollectSink<>();
        a.connect(b).process(new CoTagger(), Types.of(Hop.class)).name("Co").sinkTo(sink).name("Out");
        env.execute("forward-connect");
        List<Hop> out = sink.results();
        sink.clear();
        String where = "connect, parallelism " + p;
        assertEquals(2 * N, out.size(), where);
        for (Hop h : out) {
            assertEquals(h.from(), h.to(), where + ": " + h);
        }
    }
}
