package io.sluice.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.functions.Collector;
import io.sluice.api.functions.KeyedProcessFunction;
import io.sluice.api.functions.RuntimeContext;
import io.sluice.api.state.AggregatingState;
import io.sluice.api.state.ListState;
import io.sluice.api.state.MapState;
import io.sluice.api.state.ReducingState;
import io.sluice.api.state.ValueState;
import io.sluice.api.types.Types;
import io.sluice.testing.StatsAggregate.Summary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Keyed state and timers restored at another parallelism: p subtasks are snapshotted and restored into p' subtasks.
 * Every key's state (every kind) and its timer must end up in exactly the subtask that owns the key's group, nothing
 * lost and nothing duplicated; the oracle is a plain map per key, and the key-group formula for ownership.
 */
class RescaleTest {
    static final int KEYS = 400;

    record Ev(int key, long value) {}

    /** Keeps every kind of state per key and one event-time timer per key at {@code 10_000 + key}. */
    static final class EveryKind implements KeyedProcessFunction<Integer, Ev, Integer> {
        private transient ValueState<Long> last;
        private transient ListState<String> list;
        private transient MapState<Integer, String> map;
        private transient ReducingState<Long> sum;
        private transient AggregatingState<Long, Summary> stats;

        @Override
        public void open(RuntimeContext context) {
            last = context.getState(KeyedStateOracleTest.VALUE);
            list = context.getState(KeyedStateOracleTest.LIST);
            map = context.getState(KeyedStateOracleTest.MAP);
            sum = context.getState(KeyedStateOracleTest.SUM);
            stats = context.getState(KeyedStateOracleTest.STATS);
        }

        @Override
        public void processElement(Ev e, Context<Integer> ctx, Collector<Integer> out) {
            last.update(e.value());
            list.add("e" + e.value());
            map.put((int) (e.value() % 5), "v" + e.value());
            sum.add(e.value());
            stats.add(e.value());
            ctx.timerService().registerEventTimeTimer(10_000 + e.key());
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext<Integer> ctx, Collector<Integer> out) {
            out.collect(ctx.currentKey());
        }
    }

    @Test
    void twoSubtasksRestoredIntoThree() throws Exception {
        rescale(2, 3, 128, 1);
    }

    @Test
    void twoSubtasksRestoredIntoOne() throws Exception {
        rescale(2, 1, 128, 2);
    }

    @Test
    void fourSubtasksRestoredIntoTwo() throws Exception {
        rescale(4, 2, 128, 3);
    }

    @Test
    void otherShapesIncludingFewKeyGroups() throws Exception {
        rescale(1, 4, 128, 4);
        rescale(3, 5, 7, 5); // uneven ranges over 7 key groups
        rescale(5, 2, 7, 6);
        rescale(7, 7, 7, 7); // one key group each
        rescale(3, 3, 128, 8); // same parallelism
    }

    private static List<KeyedProcessFunctionHarness<Integer, Ev, Integer>> harnesses(int parallelism, int maxParallelism,
            List<HarnessSnapshot> from) {
        List<KeyedProcessFunctionHarness<Integer, Ev, Integer>> hs = new ArrayList<>();
        for (int i = 0; i < parallelism; i++) {
            hs.add(KeyedProcessFunctionHarness.restoredFrom(from, maxParallelism, parallelism, i, Ev::key, Types.INT, new EveryKind()));
        }
        return hs;
    }

    private static void rescale(int from, int to, int maxParallelism, long seed) throws Exception {
        String where = from + " -> " + to + " subtasks, maxParallelism " + maxParallelism + ", seed " + seed;
        System.out.println("RescaleTest " + where);
        Random random = new Random(seed);
        var old = harnesses(from, maxParallelism, List.of());
        Map<Integer, List<Long>> oracle = new HashMap<>();
        for (int i = 0; i < 5_000; i++) {
            int key = random.nextInt(KEYS);
            long value = random.nextInt(1_000);
            old.get(OwnedKeys.owner(key, from, maxParallelism)).processElement(new Ev(key, value));
            oracle.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        List<HarnessSnapshot> snapshots = new ArrayList<>();
        for (var h : old) {
            snapshots.add(h.snapshot());
            h.close();
        }

        var restored = harnesses(to, maxParallelism, snapshots);
        for (int key = 0; key < KEYS; key++) {
            int owner = OwnedKeys.owner(key, to, maxParallelism);
            for (int j = 0; j < to; j++) {
                var h = restored.get(j);
                int k = key;
                if (j == owner) {
                    assertTrue(h.ownsKey(key), where);
                    checkKey(h, key, oracle.getOrDefault(key, List.of()), where + ", key " + key + " in subtask " + j);
                } else {
                    assertFalse(h.ownsKey(key), where);
                    assertThrows(IllegalStateException.class, () -> h.state(k, KeyedStateOracleTest.VALUE));
                }
            }
        }
        // Nothing duplicated: the entries over all new subtasks are exactly one per key with state.
        for (String name : List.of("value", "list", "map", "sum", "stats")) {
            int entries = 0;
            for (var h : restored) {
                entries += h.keyedBackend().entryCount(name);
            }
            assertEquals(oracle.size(), entries, where + ", entries of " + name);
        }
        // Timers moved with their keys: each fires once, in the owner.
        for (int j = 0; j < to; j++) {
            var h = restored.get(j);
            h.processWatermark(Long.MAX_VALUE);
            Set<Integer> expected = new TreeSet<>();
            for (Integer key : oracle.keySet()) {
                if (OwnedKeys.owner(key, to, maxParallelism) == j) {
                    expected.add(key);
                }
            }
            assertEquals(expected, new TreeSet<>(h.outputValues()), where + ", timers of subtask " + j);
            assertEquals(expected.size(), h.outputValues().size(), where + ", a timer fired twice in subtask " + j);
            h.close();
        }
    }

    private static void checkKey(OperatorHarness<Ev, Integer> h, int key, List<Long> values, String where) {
        Map<Integer, String> map = new HashMap<>();
        values.forEach(v -> map.put((int) (v % 5), "v" + v));
        assertEquals(values.isEmpty() ? -1L : values.getLast(), h.state(key, KeyedStateOracleTest.VALUE).value(), where);
        assertEquals(values.stream().map(v -> "e" + v).toList(), h.state(key, KeyedStateOracleTest.LIST).get(), where);
        assertEquals(map, KeyedStateOracleTest.asMap(h.state(key, KeyedStateOracleTest.MAP)), where);
        assertEquals(values.isEmpty() ? null : values.stream().mapToLong(Long::longValue).sum(),
                h.state(key, KeyedStateOracleTest.SUM).get(), where);
        assertEquals(Summary.of(values), h.state(key, KeyedStateOracleTest.STATS).get(), where);
    }
}
