package io.sluice.runtime.job;

import static io.sluice.runtime.job.Multisets.assertSameMultiset;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import io.sluice.runtime.cluster.LocalExecutor;
import io.sluice.runtime.config.EngineConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random small pipelines over {@code Long}s, each stage with its own random parallelism and partitioning, run on the
 * local cluster and compared with the same stages applied to a plain Java list. Fixed seeds: a failure names its
 * seed and the pipeline, and re-running that seed reproduces the same job.
 */
public class RandomPipelineTest {

    /** Seeds 1..20; {@code mvn test -Dsluice.test.seeds=600} runs more (600 passed when this test was written). */
    static LongStream seeds() {
        return LongStream.rangeClosed(1, Long.getLong("sluice.test.seeds", 20));
    }

    /** One stage: how the job applies it, and how the oracle does. */
    record Stage(String description, String name, UnaryOperator<DataStream<Long>> job, UnaryOperator<List<Long>> oracle) {}

    /** Sums the values of each key; a timer at the end of input emits {@code sum * 31 + key} once per key. */
    static final class SumAtEnd implements KeyedProcessFunction<Long, Long, Long> {
        private transient ValueState<Long> sum;

        @Override
        public void open(RuntimeContext context) {
            sum = context.getState(new ValueStateDescriptor<>("sum", Types.LONG, 0L));
        }

        @Override
        public void processElement(Long value, Context<Long> ctx, Collector<Long> out) {
            sum.update(sum.value() + value);
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext<Long> ctx, Collector<Long> out) {
            out.collect(sum.value() * 31 + ctx.currentKey());
        }
    }

    private static List<Long> mapAll(List<Long> in, UnaryOperator<Long> f) {
        List<Long> out = new ArrayList<>(in.size());
        for (long v : in) {
            out.add(f.apply(v));
        }
        return out;
    }

    // ---- stage factories: static, so the lambdas capture only numbers ----

    static Stage map(String name, long a, long b) {
        return new Stage("map(x*" + a + "+" + b + ")", name,
                s -> s.map(x -> x * a + b, Types.LONG), in -> mapAll(in, x -> x * a + b));
    }

    static Stage filter(String name, int m, int r) {
        return new Stage("filter(x mod " + m + " != " + r + ")", name,
                s -> s.filter(x -> Math.floorMod(x, m) != r),
                in -> in.stream().filter(x -> Math.floorMod(x, m) != r).toList());
    }

    static Stage flatMap(String name) {
        return new Stage("flatMap(x, and x±1 if x mod 3 == 0)", name,
                s -> s.flatMap((Long x, Collector<Long> out) -> {
                    out.collect(x);
                    if (Math.floorMod(x, 3) == 0) {
                        out.collect(x + 1);
                        out.collect(x - 1);
                    }
                }, Types.LONG),
                in -> {
                    List<Long> out = new ArrayList<>();
                    for (long x : in) {
                        out.add(x);
                        if (Math.floorMod(x, 3) == 0) {
                            out.add(x + 1);
                            out.add(x - 1);
                        }
                    }
                    return out;
                });
    }

    /** A running count per key, as {@code key * 1_000_000 + count}: the counts 1..n of each key, whatever the order. */
    static Stage runningCount(String name, int keys, int parallelism) {
        return new Stage("runningCount(x mod " + keys + ")", name,
                s -> s.map(x -> Math.floorMod(x, keys) * 1_000_000L + 1, Types.LONG).name(name + "-Encode").setParallelism(parallelism)
                        .keyBy(v -> v / 1_000_000, Types.LONG)
                        .reduce((acc, v) -> acc + 1),
                in -> {
                    Map<Long, Long> counts = new HashMap<>();
                    List<Long> out = new ArrayList<>();
                    for (long x : in) {
                        long key = Math.floorMod(x, keys);
                        out.add(key * 1_000_000L + counts.merge(key, 1L, Long::sum));
                    }
                    return out;
                });
    }

    static Stage sumAtEnd(String name, int keys) {
        return new Stage("sumAtEnd(x mod " + keys + ")", name,
                s -> s.keyBy(x -> Math.floorMod(x, (long) keys), Types.LONG).process(new SumAtEnd(), Types.LONG),
                in -> {
                    Map<Long, Long> sums = new HashMap<>();
                    for (long x : in) {
                        sums.merge(Math.floorMod(x, (long) keys), x, Long::sum);
                    }
                    return sums.entrySet().stream().map(e -> e.getValue() * 31 + e.getKey()).toList();
                });
    }

    /**
     * A random pipeline, defined on {@code env} and ending in {@code sink}: what it must give, and how it was built.
     *
     * @param expected       the oracle's output, as a multiset
     * @param description    the pipeline, for failure messages
     * @param names          the stages' names
     * @param expectedCounts records out of each stage
     */
    public record Pipeline(List<Long> expected, String description, List<String> names, List<Long> expectedCounts) {}

    /**
     * Defines seed {@code seed}'s pipeline on {@code env}: the same pipeline for a seed wherever it runs. With
     * {@code ownEngine}, some seeds run on an embedded cluster with a small batch size and channel capacity; without
     * it (a cluster's executor), the same random choices are drawn and ignored.
     */
    public static Pipeline define(long seed, StreamEnvironment env, io.sluice.api.sink.Sink<Long> sink, boolean ownEngine) {
        // scrambled: java.util.Random's first outputs for small neighbouring seeds are alike
        Random random = new Random(seed * 0x9E3779B97F4A7C15L);
        StringBuilder description = new StringBuilder("seed " + seed + ":");

        // input
        List<Long> expected;
        env.setParallelism(1 + random.nextInt(4));
        EngineConfig engine = EngineConfig.defaults();
        if (random.nextBoolean()) {
            engine = engine.withBatchSize(1 + random.nextInt(64)).withChannelCapacity(1 + random.nextInt(4));
            if (ownEngine) {
                env.setExecutor(new LocalExecutor(engine));
            }
        }
        description.append(" env p=").append(env.getParallelism())
                .append(" batch=").append(engine.batchSize()).append(" cap=").append(engine.channelCapacity());
        int sourceParallelism = 1 + random.nextInt(4);
        DataStream<Long> stream;
        if (random.nextBoolean()) {
            int size = random.nextInt(5) == 0 ? 0 : random.nextInt(3_000);
            expected = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                expected.add(random.nextLong(-1_000, 1_000));
            }
            stream = env.fromCollection(expected, Types.LONG).name("Source").setParallelism(sourceParallelism);
            description.append(" | elements(").append(size).append(") p=").append(sourceParallelism);
        } else {
            long from = random.nextInt(2_000) - 1_000;
            long to = from + random.nextInt(5_000);
            expected = LongStream.rangeClosed(from, to).boxed().toList();
            stream = env.generateSequence(from, to).name("Source").setParallelism(sourceParallelism);
            description.append(" | sequence(").append(from).append("..").append(to).append(") p=").append(sourceParallelism);
        }

        int previousParallelism = sourceParallelism;
        int stages = 1 + random.nextInt(6);
        int flatMaps = 0;
        boolean broadcastUsed = false;
        List<String> names = new ArrayList<>();
        List<Long> expectedCounts = new ArrayList<>();
        for (int i = 0; i < stages; i++) {
            int parallelism = 1 + random.nextInt(4);
            String name = "S" + i;
            Stage stage = switch (random.nextInt(flatMaps < 2 ? 6 : 5)) {
                case 0 -> map(name, 1 + random.nextInt(5), random.nextInt(21) - 10);
                case 1 -> filter(name, 2 + random.nextInt(5), random.nextInt(2));
                case 2 -> runningCount(name, 1 + random.nextInt(20), parallelism);
                case 3 -> sumAtEnd(name, 1 + random.nextInt(20));
                case 4 -> map(name, 1, 0);
                default -> {
                    flatMaps++;
                    yield flatMap(name);
                }
            };
            boolean keyedStage = stage.description().startsWith("sumAtEnd");
            // how records reach the stage (a keyed stage has its own keyBy)
            int how = keyedStage ? 0 : random.nextInt(broadcastUsed ? 4 : 5);
            if (how == 3 && parallelism != previousParallelism) {
                how = 0; // forward needs equal parallelism
            }
            String edge;
            switch (how) {
                case 1 -> {
                    stream = stream.rebalance();
                    edge = "rebalance";
                }
                case 2 -> {
                    stream = stream.shuffle();
                    edge = "shuffle";
                }
                case 3 -> {
                    stream = stream.forward();
                    edge = "forward";
                }
                case 4 -> {
                    stream = stream.broadcast();
                    edge = "broadcast";
                    broadcastUsed = true;
                    List<Long> copies = new ArrayList<>();
                    for (int c = 0; c < parallelism; c++) {
                        copies.addAll(expected);
                    }
                    expected = copies;
                }
                default -> edge = "auto";
            }
            stream = stage.job().apply(stream).name(name).setParallelism(parallelism);
            expected = stage.oracle().apply(expected);
            names.add(name);
            expectedCounts.add((long) expected.size());
            description.append(" | ").append(edge).append(" ").append(stage.description()).append(" p=").append(parallelism);
            previousParallelism = parallelism;
        }

        int sinkParallelism = 1 + random.nextInt(4);
        description.append(" | sink p=").append(sinkParallelism);
        stream.sinkTo(sink).name("Sink").setParallelism(sinkParallelism);
        return new Pipeline(expected, description.toString(), names, expectedCounts);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomPipelineMatchesTheOracle(long seed) throws Exception {
        StreamEnvironment env = StreamEnvironment.create();
        CollectSink<Long> sink = new CollectSink<>();
        Pipeline pipeline = define(seed, env, sink, true);
        List<Long> expected = pipeline.expected();
        List<String> names = pipeline.names();
        List<Long> expectedCounts = pipeline.expectedCounts();
        JobResult result = env.execute("random-" + seed);
        List<Long> actual = sink.results();
        sink.clear();

        String where = pipeline.description();
        assertSameMultiset(expected, actual, where);
        for (int i = 0; i < names.size(); i++) {
            assertEquals(expectedCounts.get(i), result.operator(names.get(i)).recordsOut(), where + ": records out of " + names.get(i));
        }
        assertEquals(expected.size(), result.operator("Sink").recordsIn(), where + ": records into the sink");
        result.channels().forEach(c -> assertTrue(c.maxOccupiedBatches() <= c.capacityBatches(), where + ": " + c));
    }
}
