package io.sluice.runtime.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.DataStream;
import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.JobExecutionException;
import io.sluice.api.functions.BroadcastProcessFunction;
import io.sluice.api.functions.Collector;
import io.sluice.api.functions.KeyedBroadcastProcessFunction;
import io.sluice.api.functions.KeyedCoProcessFunction;
import io.sluice.api.functions.KeyedProcessFunction;
import io.sluice.api.functions.MapFunction;
import io.sluice.api.functions.RuntimeContext;
import io.sluice.api.sink.CollectSink;
import io.sluice.api.state.MapState;
import io.sluice.api.state.MapStateDescriptor;
import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Keyed map with state, keyed co-process functions and broadcast state, as whole jobs against plain-Java oracles. */
class KeyedAndBroadcastFunctionsJobTest {

    record Event(String key, long value) {}

    record Rule(String key, long multiplier) {}

    private static List<Event> events(long seed, int n, int keys) {
        Random random = new Random(seed);
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(new Event("k" + random.nextInt(keys), random.nextInt(1000)));
        }
        return events;
    }

    /** Counts per key in keyed state: the n-th record of a key maps to n. */
    static final class RunningCount implements MapFunction<Event, String> {
        private transient ValueState<Long> count;

        @Override
        public void open(RuntimeContext context) {
            count = context.getState(new ValueStateDescriptor<>("count", Types.LONG, 0L));
        }

        @Override
        public String map(Event e) {
            long n = count.value() + 1;
            count.update(n);
            return e.key() + ":" + n;
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void mapOnAKeyedStreamHasKeyedState(int parallelism) throws Exception {
        long seed = 11;
        List<Event> input = events(seed, 5_000, 37);
        StreamEnvironment env = StreamEnvironment.create().setParallelism(parallelism);
        CollectSink<String> sink = new CollectSink<>();
        env.fromCollection(input, Types.of(Event.class)).keyBy(Event::key).map(new RunningCount()).sinkTo(sink);
        env.execute("keyed map");
        Map<String, Long> counts = new HashMap<>();
        List<String> expected = new ArrayList<>();
        for (Event e : input) {
            expected.add(e.key() + ":" + counts.merge(e.key(), 1L, Long::sum));
        }
        assertEquals(Multisets.counts(expected), Multisets.counts(sink.results()), "seed " + seed);
        sink.clear();
    }

    /** Per key: sum of the first input minus sum of the second, emitted once both inputs ended. */
    static final class Difference implements KeyedCoProcessFunction<String, Event, Event, String> {
        private transient ValueState<Long> sum;

        @Override
        public void open(RuntimeContext context) {
            sum = context.getState(new ValueStateDescriptor<>("sum", Types.LONG, 0L));
        }

        @Override
        public void processElement1(Event e, KeyedProcessFunction.Context<String> ctx, Collector<String> out) {
            sum.update(sum.value() + e.value());
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
        }

        @Override
        public void processElement2(Event e, KeyedProcessFunction.Context<String> ctx, Collector<String> out) {
            sum.update(sum.value() - e.value());
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
        }

        @Override
        public void onTimer(long t, KeyedProcessFunction.OnTimerContext<String> ctx, Collector<String> out) {
            out.collect(ctx.currentKey() + "=" + sum.value());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void keyedCoProcessSeesBothInputsOfAKeyInOneState(int parallelism) throws Exception {
        List<Event> a = events(21, 3_000, 23);
        List<Event> b = events(22, 2_000, 23);
        StreamEnvironment env = StreamEnvironment.create().setParallelism(parallelism);
        CollectSink<String> sink = new CollectSink<>();
        DataStream<Event> first = env.fromCollection(a, Types.of(Event.class));
        DataStream<Event> second = env.fromCollection(b, Types.of(Event.class));
        first.connect(second).keyBy(Event::key, Event::key).process(new Difference(), Types.STRING).sinkTo(sink);
        env.execute("keyed co-process");
        Map<String, Long> expected = new TreeMap<>();
        a.forEach(e -> expected.merge(e.key(), e.value(), Long::sum));
        b.forEach(e -> expected.merge(e.key(), -e.value(), Long::sum));
        List<String> expectedLines = expected.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        assertEquals(Multisets.counts(expectedLines), Multisets.counts(sink.results()));
        sink.clear();
    }

    static final MapStateDescriptor<String, Long> RULES = new MapStateDescriptor<>("rules", Types.STRING, Types.LONG);

    /** Sums per key; at the end multiplies by the key's broadcast rule (1 if none). */
    static final class Scaled implements KeyedBroadcastProcessFunction<String, Event, Rule, String> {
        private transient ValueState<Long> sum;

        @Override
        public void open(RuntimeContext context) {
            sum = context.getState(new ValueStateDescriptor<>("sum", Types.LONG, 0L));
        }

        @Override
        public void processElement(Event e, ReadOnlyContext<String> ctx, Collector<String> out) {
            sum.update(sum.value() + e.value());
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
        }

        @Override
        public void processBroadcastElement(Rule r, BroadcastProcessFunction.Context ctx, Collector<String> out) {
            ctx.getBroadcastState(RULES).put(r.key(), r.multiplier());
        }

        @Override
        public void onTimer(long t, OnTimerContext<String> ctx, Collector<String> out) {
            Long m = ctx.getBroadcastState(RULES).get(ctx.currentKey());
            out.collect(ctx.currentKey() + "=" + sum.value() * (m == null ? 1 : m));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void keyedBroadcastStateReachesEverySubtask(int parallelism) throws Exception {
        List<Event> data = events(31, 4_000, 19);
        List<Rule> rules = new ArrayList<>();
        for (int k = 0; k < 19; k += 2) {
            rules.add(new Rule("k" + k, 1 + k));
            rules.add(new Rule("k" + k, 2 + k)); // a later rule replaces an earlier one
        }
        StreamEnvironment env = StreamEnvironment.create().setParallelism(parallelism);
        CollectSink<String> sink = new CollectSink<>();
        DataStream<Rule> ruleStream = env.fromCollection(rules, Types.of(Rule.class)).setParallelism(1);
        env.fromCollection(data, Types.of(Event.class)).keyBy(Event::key)
                .connect(ruleStream.broadcast(RULES)).process(new Scaled(), Types.STRING).sinkTo(sink);
        env.execute("keyed broadcast");
        Map<String, Long> multipliers = new HashMap<>();
        rules.forEach(r -> multipliers.put(r.key(), r.multiplier()));
        Map<String, Long> sums = new TreeMap<>();
        data.forEach(e -> sums.merge(e.key(), e.value(), Long::sum));
        List<String> expected = sums.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue() * multipliers.getOrDefault(e.getKey(), 1L)).toList();
        assertEquals(Multisets.counts(expected), Multisets.counts(sink.results()));
        sink.clear();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void everySubtaskSeesEveryBroadcastRecordInOrder(int parallelism) throws Exception {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(parallelism);
        CollectSink<String> sink = new CollectSink<>();
        DataStream<Long> broadcast = env.generateSequence(1, 500).setParallelism(1);
        env.generateSequence(1, 10).connect(broadcast.broadcast(RULES)).process(new RecordBroadcasts(), Types.STRING).sinkTo(sink);
        env.execute("broadcast order");
        List<String> expected = new ArrayList<>();
        for (int s = 0; s < parallelism; s++) {
            for (long v = 1; v <= 500; v++) {
                expected.add(s + ":" + v);
            }
        }
        assertEquals(Multisets.counts(expected), Multisets.counts(sink.results()));
        sink.clear();
    }

    @ParameterizedTest
    @ValueSource(ints = {2})
    void theDataSideCannotWriteBroadcastState(int parallelism) {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(parallelism);
        DataStream<Long> broadcast = env.generateSequence(1, 5).setParallelism(1);
        env.generateSequence(1, 100).connect(broadcast.broadcast(RULES)).process(new WritesOnTheDataSide(), Types.STRING).name("Writer").sinkTo(new CollectSink<>());
        JobExecutionException e = assertThrows(JobExecutionException.class, () -> env.execute("data side writes"));
        assertTrue(e.getMessage().contains("Operator 'Writer'") && e.getMessage().contains("broadcast state is read-only"), e.getMessage());
    }

    /** Emits (subtask, value) for each broadcast record, checking they arrive in order. */
    static final class RecordBroadcasts implements BroadcastProcessFunction<Long, Long, String> {
        private transient int subtask;
        private long last;

        @Override
        public void open(RuntimeContext context) {
            subtask = context.subtaskIndex();
        }

        @Override
        public void processElement(Long value, ReadOnlyContext ctx, Collector<String> out) {}

        @Override
        public void processBroadcastElement(Long value, Context ctx, Collector<String> out) {
            if (value != last + 1) {
                throw new IllegalStateException("broadcast out of order: " + value + " after " + last);
            }
            last = value;
            out.collect(subtask + ":" + value);
        }
    }

    /** Tries to write broadcast state where it is read-only. */
    static final class WritesOnTheDataSide implements BroadcastProcessFunction<Long, Long, String> {
        @Override
        public void processElement(Long value, ReadOnlyContext ctx, Collector<String> out) {
            MapState<String, Long> rules = ctx.getBroadcastState(RULES);
            rules.put("x", value);
        }

        @Override
        public void processBroadcastElement(Long value, Context ctx, Collector<String> out) {}
    }
}
