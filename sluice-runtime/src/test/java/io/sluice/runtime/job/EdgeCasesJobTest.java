package io.sluice.runtime.job;

import static io.sluice.runtime.job.Multisets.assertSameMultiset;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.DataStream;
import io.sluice.api.functions.OutputTag;
import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.JobResult;
import io.sluice.api.functions.Collector;
import io.sluice.api.functions.KeyedProcessFunction;
import io.sluice.api.functions.ProcessFunction;
import io.sluice.api.functions.RuntimeContext;
import io.sluice.api.sink.CollectSink;
import io.sluice.api.source.InputStatus;
import io.sluice.api.source.Source;
import io.sluice.api.source.SourceOutput;
import io.sluice.api.source.SourceReader;
import io.sluice.api.source.SourceReaderContext;
import io.sluice.api.source.SourceSplit;
import io.sluice.api.types.TypeSerializer;
import io.sluice.api.types.Types;
import io.sluice.runtime.cluster.LocalExecutor;
import io.sluice.runtime.config.EngineConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Small and odd shapes: empty inputs, more subtasks than records, odd key-group counts, rates, timestamps. */
@Timeout(60)
class EdgeCasesJobTest {

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 4})
    void anEmptyInputFinishesWithNoOutputAndTimersStillRunNothing(int p) throws Exception {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(p);
        CollectSink<Long> sink = new CollectSink<>();
        env.fromCollection(List.<Long>of(), Types.LONG).name("Empty")
                .keyBy(v -> v, Types.LONG).reduce(Long::sum).name("Sum")
                .rebalance().map(v -> v).name("M")
                .sinkTo(sink).name("Out");
        JobResult result = env.execute("empty");
        assertEquals(List.of(), sink.results());
        sink.clear();
        assertEquals(0, result.operator("Out").recordsIn());
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {2, 4})
    void fewerRecordsThanSubtasks(int p) throws Exception {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(p);
        CollectSink<Long> a = new CollectSink<>();
        CollectSink<Long> b = new CollectSink<>();
        env.fromElements(7L).name("One").rebalance().map(v -> v + 1).name("Inc").sinkTo(a).name("OutA");
        env.generateSequence(5, 5).name("Single").keyBy(v -> v, Types.LONG).reduce(Long::sum).name("Sum").sinkTo(b).name("OutB");
        env.execute("tiny");
        assertEquals(List.of(8L), a.results());
        assertEquals(List.of(5L), b.results());
        a.clear();
        b.clear();
    }

    @ParameterizedTest(name = "maxParallelism {0}")
    @ValueSource(ints = {4, 7, 13, 32768})
    void keyedStateWorksWithAnyNumberOfKeyGroups(int maxParallelism) throws Exception {
        int p = 4;
        StreamEnvironment env = StreamEnvironment.create().setParallelism(p).setMaxParallelism(maxParallelism);
        CollectSink<Long> sink = new CollectSink<>();
        long n = 20_000;
        env.generateSequence(1, n).name("Numbers")
                .keyBy(v -> v % 101, Types.LONG)
                .process(new CountAtEnd(), Types.LONG).name("Count")
                .sinkTo(sink).name("Out");
        env.execute("key-groups-" + maxParallelism);
        List<Long> out = sink.results();
        sink.clear();
        Map<Long, Long> counts = new HashMap<>();
        for (long v = 1; v <= n; v++) {
            counts.merge(v % 101, 1L, Long::sum);
        }
        List<Long> expected = counts.entrySet().stream().map(e -> e.getKey() * 1_000_000 + e.getValue()).toList();
        assertSameMultiset(expected, out, "maxParallelism " + maxParallelism);
    }

    /** Emits {@code key * 1_000_000 + count} per key at the end of input. */
    static final class CountAtEnd implements KeyedProcessFunction<Long, Long, Long> {
        private transient io.sluice.api.state.ValueState<Long> count;

        @Override
        public void open(RuntimeContext context) {
            count = context.getState(new io.sluice.api.state.ValueStateDescriptor<>("count", Types.LONG, 0L));
        }

        @Override
        public void processElement(Long value, Context<Long> ctx, Collector<Long> out) {
            count.update(count.value() + 1);
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext<Long> ctx, Collector<Long> out) {
            out.collect(ctx.currentKey() * 1_000_000 + count.value());
        }
    }

    @Test
    void aRateLimitedSourceDeliversExactlyItsRange() throws Exception {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(2);
        env.setExecutor(new LocalExecutor(EngineConfig.defaults().withFlushIntervalMillis(5)));
        CollectSink<Long> sink = new CollectSink<>();
        env.generateSequence(1, 600, 3_000).name("Slow").rebalance().map(v -> v).name("M").sinkTo(sink).name("Out");
        env.execute("rate");
        assertSameMultiset(range(1, 600), sink.results(), "rate-limited sequence");
        sink.clear();
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 3})
    void batchesOfOneAndChannelsOfOneStillDeliverEverything(int p) throws Exception {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(p);
        env.setExecutor(new LocalExecutor(EngineConfig.defaults().withBatchSize(1).withChannelCapacity(1).withFlushIntervalMillis(0)));
        CollectSink<Long> sink = new CollectSink<>();
        env.generateSequence(1, 20_000).name("Numbers").setParallelism(2)
                .keyBy(v -> v % 13, Types.LONG).reduce((a, b) -> b).name("Latest")
                .shuffle().map(v -> v).name("M")
                .sinkTo(sink).name("Out");
        JobResult result = env.execute("tiny-batches");
        assertSameMultiset(range(1, 20_000), sink.results(), "batch 1, capacity 1, parallelism " + p);
        sink.clear();
        result.channels().forEach(c -> assertTrue(c.maxOccupiedBatches() <= 1, c.toString()));
    }

    static final OutputTag<Long> ODD = new OutputTag<>("odd", Types.LONG);

    @Test
    void aUnionOfAnOperatorsMainAndSideOutput() throws Exception {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(2);
        DataStream<Long> evens = env.generateSequence(1, 10_000).name("Numbers")
                .process((Long v, ProcessFunction.Context ctx, Collector<Long> out) -> {
                    if (v % 2 == 0) {
                        out.collect(v);
                    } else {
                        ctx.output(ODD, -v);
                    }
                }, Types.LONG).name("Split");
        CollectSink<Long> sink = new CollectSink<>();
        evens.union(evens.getSideOutput(ODD)).map(v -> v).name("Merge").sinkTo(sink).name("Out");
        env.execute("main-and-side");
        List<Long> expected = new ArrayList<>();
        for (long v = 1; v <= 10_000; v++) {
            expected.add(v % 2 == 0 ? v : -v);
        }
        assertSameMultiset(expected, sink.results(), "main and side output merged");
        sink.clear();
    }

    /** Emits 1..n, value v with timestamp v * 10, split by {@code v mod parallelism}. */
    static final class TimestampedSource implements Source<Long, TimestampedSource.Split> {
        record Split(String splitId, long first, long step, long last) implements SourceSplit {}

        private final long n;

        TimestampedSource(long n) {
            this.n = n;
        }

        @Override
        public TypeSerializer<Long> outputType() {
            return Types.LONG;
        }

        @Override
        public boolean isBounded() {
            return true;
        }

        @Override
        public List<Split> createSplits(int parallelism) {
            List<Split> splits = new ArrayList<>();
            for (int i = 1; i <= parallelism; i++) {
                splits.add(new Split("ts-" + i, i, parallelism, n));
            }
            return splits;
        }

        @Override
        public SourceReader<Long, Split> createReader(SourceReaderContext context) {
            return new SourceReader<>() {
                final List<Split> splits = new ArrayList<>();

                @Override
                public void addSplits(List<Split> added) {
                    splits.addAll(added);
                }

                @Override
                public InputStatus pollNext(SourceOutput<Long> output) {
                    if (splits.isEmpty()) {
                        return InputStatus.END_OF_INPUT;
                    }
                    Split s = splits.removeFirst();
                    long v = s.first();
                    for (int i = 0; i < 100 && v <= s.last(); i++, v += s.step()) {
                        output.collect(v, v * 10);
                    }
                    if (v <= s.last()) {
                        splits.addFirst(new Split(s.splitId(), v, s.step(), s.last()));
                    }
                    return splits.isEmpty() ? InputStatus.END_OF_INPUT : InputStatus.MORE_AVAILABLE;
                }

                @Override
                public List<Split> snapshotSplits() {
                    return List.copyOf(splits);
                }

                @Override
                public void close() {}
            };
        }
    }

    record Stamped(long value, long timestamp) {}

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 4})
    void recordTimestampsTravelThroughChannelsAndKeyedOperators(int p) throws Exception {
        long n = 5_000;
        StreamEnvironment env = StreamEnvironment.create().setParallelism(p);
        CollectSink<Stamped> sink = new CollectSink<>();
        env.fromSource(new TimestampedSource(n), "Stamps")
                .rebalance()
                .map(v -> v, Types.LONG).name("Pass")
                .keyBy(v -> v % 17, Types.LONG)
                .reduce((a, b) -> b).name("Latest") // emits the latest record, with that record's timestamp
                .process((Long v, ProcessFunction.Context ctx, Collector<Stamped> out) -> out.collect(new Stamped(v, ctx.timestamp())),
                        Types.of(Stamped.class)).name("ReadTimestamp")
                .sinkTo(sink).name("Out");
        env.execute("timestamps");
        List<Stamped> expected = new ArrayList<>();
        for (long v = 1; v <= n; v++) {
            expected.add(new Stamped(v, v * 10));
        }
        assertSameMultiset(expected, sink.results(), "parallelism " + p);
        sink.clear();
    }
}
