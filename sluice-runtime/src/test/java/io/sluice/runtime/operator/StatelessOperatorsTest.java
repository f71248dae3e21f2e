package io.sluice.runtime.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.functions.Collector;
import io.sluice.api.functions.FilterFunction;
import io.sluice.api.functions.FlatMapFunction;
import io.sluice.api.functions.MapFunction;
import io.sluice.api.functions.RuntimeContext;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.Types;
import io.sluice.runtime.operator.OperatorFixture.Rec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MapOperator, FilterOperator and FlatMapOperator driven directly, one record at a time. */
class StatelessOperatorsTest {

    /** A map function that records its life cycle and what its runtime context said. */
    static final class LifecycleMap implements MapFunction<Integer, String> {
        int opened;
        int closed;
        String name;
        int subtask = -1;
        int parallelism = -1;
        int maxParallelism = -1;
        RuntimeContext context;

        @Override
        public void open(RuntimeContext ctx) {
            opened++;
            context = ctx;
            name = ctx.operatorName();
            subtask = ctx.subtaskIndex();
            parallelism = ctx.parallelism();
            maxParallelism = ctx.maxParallelism();
        }

        @Override
        public String map(Integer value) {
            return "v" + value;
        }

        @Override
        public void close() {
            closed++;
        }
    }

    @Test
    void mapEmitsOneRecordPerInputWithTheInputTimestamp() throws Exception {
        OperatorFixture f = OperatorFixture.plain();
        LifecycleMap fn = new LifecycleMap();
        MapOperator<Integer, String> op = new MapOperator<>(fn);
        op.open(f.setup);
        assertEquals(1, fn.opened);
        assertEquals(OperatorFixture.NAME, fn.name);
        assertEquals(OperatorFixture.SUBTASK, fn.subtask);
        assertEquals(OperatorFixture.PARALLELISM, fn.parallelism);
        assertEquals(OperatorFixture.MAX_PARALLELISM, fn.maxParallelism);

        op.processRecord(1, 100L);
        op.processRecord(2, Long.MIN_VALUE);
        op.processRecord(3, -5L);

        assertEquals(List.of(new Rec("v1", 100L), new Rec("v2", Long.MIN_VALUE), new Rec("v3", -5L)), f.main.records());
        assertEquals(3, f.counters.recordsOut);
        assertEquals(0, fn.closed);
        op.close();
        assertEquals(1, fn.closed);
    }

    @Test
    void watermarksArePassedOnInOrderWithRecords() throws Exception {
        OperatorFixture f = OperatorFixture.plain("side");
        MapOperator<Integer, Integer> op = new MapOperator<>(v -> v * 10);
        op.open(f.setup);
        op.processRecord(1, 1L);
        op.processWatermark(5L);
        op.processRecord(2, 7L);
        op.processWatermark(Long.MAX_VALUE);

        assertEquals(List.of(new Rec(10, 1L), new OperatorFixture.Wm(5L), new Rec(20, 7L),
                new OperatorFixture.Wm(Long.MAX_VALUE)), f.main.events);
        // watermarks also go to side-output targets, which carry no records here
        assertEquals(List.of(5L, Long.MAX_VALUE), f.side("side").watermarks());
        assertTrue(f.side("side").values().isEmpty());
    }

    @Test
    void keyedStateIsRefusedOnANonKeyedOperator() throws Exception {
        OperatorFixture f = OperatorFixture.plain();
        LifecycleMap fn = new LifecycleMap();
        MapOperator<Integer, String> op = new MapOperator<>(fn);
        op.open(f.setup);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> fn.context.getState(new ValueStateDescriptor<>("s", Types.LONG)));
        assertTrue(e.getMessage().contains(OperatorFixture.NAME), e.getMessage());
        assertTrue(e.getMessage().contains("keyBy"), e.getMessage());
    }

    @Test
    void mapFailurePropagatesTheUserException() throws Exception {
        OperatorFixture f = OperatorFixture.plain();
        MapOperator<Integer, Integer> op = new MapOperator<>(v -> {
            if (v == 2) {
                throw new IllegalArgumentException("bad " + v);
            }
            return v;
        });
        op.open(f.setup);
        op.processRecord(1, 0L);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> op.processRecord(2, 0L));
        assertEquals("bad 2", e.getMessage());
        assertEquals(List.of(1), f.main.values());
    }

    @Test
    void filterKeepsExactlyTheMatchingRecordsInOrderWithTimestamps() throws Exception {
        OperatorFixture f = OperatorFixture.plain();
        FilterFunction<Integer> even = v -> v % 2 == 0;
        FilterOperator<Integer> op = new FilterOperator<>(even);
        op.open(f.setup);
        List<Rec> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            op.processRecord(i, 1000L + i);
            if (i % 2 == 0) {
                expected.add(new Rec(i, 1000L + i));
            }
        }
        assertEquals(expected, f.main.records());
        assertEquals(expected.size(), f.counters.recordsOut);
        op.close();
    }

    @Test
    void filterOpensAndClosesItsFunction() throws Exception {
        OperatorFixture f = OperatorFixture.plain();
        final class Counting implements FilterFunction<String> {
            int opened;
            int closed;

            @Override
            public void open(RuntimeContext ctx) {
                opened++;
            }

            @Override
            public boolean filter(String value) {
                return !value.isEmpty();
            }

            @Override
            public void close() {
                closed++;
            }
        }
        Counting fn = new Counting();
        FilterOperator<String> op = new FilterOperator<>(fn);
        op.open(f.setup);
        op.processRecord("", 0L);
        op.processRecord("x", 0L);
        op.close();
        assertEquals(1, fn.opened);
        assertEquals(1, fn.closed);
        assertEquals(List.of("x"), f.main.values());
    }

    @Test
    void flatMapEmitsZeroOrMoreRecordsEachWithTheInputTimestamp() throws Exception {
        OperatorFixture f = OperatorFixture.plain();
        FlatMapFunction<String, String> split = (String line, Collector<String> out) -> {
            for (String w : line.split(" ")) {
                if (!w.isEmpty()) {
                    out.collect(w);
                }
            }
        };
        FlatMapOperator<String, String> op = new FlatMapOperator<>(split);
        op.open(f.setup);
        op.processRecord("a bb a", 10L);
        op.processRecord("", 20L);
        op.processRecord("  ", 25L);
        op.processRecord("ccc", 30L);

        assertEquals(List.of(new Rec("a", 10L), new Rec("bb", 10L), new Rec("a", 10L), new Rec("ccc", 30L)),
                f.main.records());
        assertEquals(4, f.counters.recordsOut);
        op.close();
    }

    @Test
    void flatMapRandomFanOutMatchesBruteForce() throws Exception {
        long seed = 42L;
        java.util.Random random = new java.util.Random(seed);
        OperatorFixture f = OperatorFixture.plain();
        FlatMapOperator<Integer, Integer> op = new FlatMapOperator<>((Integer v, Collector<Integer> out) -> {
            for (int i = 0; i < v % 4; i++) {
                out.collect(v * 10 + i);
            }
        });
        op.open(f.setup);
        List<Rec> expected = new ArrayList<>();
        for (int n = 0; n < 500; n++) {
            int v = random.nextInt(1000);
            long ts = random.nextLong();
            op.processRecord(v, ts);
            for (int i = 0; i < v % 4; i++) {
                expected.add(new Rec(v * 10 + i, ts));
            }
        }
        assertEquals(expected, f.main.records(), "seed " + seed);
        assertEquals(expected.size(), f.counters.recordsOut, "seed " + seed);
        assertFalse(expected.isEmpty(), "seed " + seed);
    }
}
