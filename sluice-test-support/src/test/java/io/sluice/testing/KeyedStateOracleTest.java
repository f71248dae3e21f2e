package io.sluice.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.api.functions.KeyedProcessFunction;
import io.sluice.api.state.AggregatingState;
import io.sluice.api.state.AggregatingStateDescriptor;
import io.sluice.api.state.ListState;
import io.sluice.api.state.ListStateDescriptor;
import io.sluice.api.state.MapState;
import io.sluice.api.state.MapStateDescriptor;
import io.sluice.api.state.ReducingState;
import io.sluice.api.state.ReducingStateDescriptor;
import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.Types;
import io.sluice.testing.StatsAggregate.Summary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every keyed state kind against a plain-Java oracle (maps of values, lists and maps per key), under seeded random
 * operation sequences over many keys, through the harness; now and then the harness is snapshotted and replaced by
 * one restored from the snapshot, so restored state (also state not touched since the last restore, which passes
 * through as bytes) must match too. A failure message names the seed and step.
 */
class KeyedStateOracleTest {
    static final ValueStateDescriptor<Long> VALUE = new ValueStateDescriptor<>("value", Types.LONG, -1L);
    static final ListStateDescriptor<String> LIST = new ListStateDescriptor<>("list", Types.STRING);
    static final MapStateDescriptor<Integer, String> MAP = new MapStateDescriptor<>("map", Types.INT, Types.STRING);
    static final ReducingStateDescriptor<Long> SUM = new ReducingStateDescriptor<>("sum", Long::sum, Types.LONG);
    static final AggregatingStateDescriptor<Long, StatsAggregate.Stats, Summary> STATS =
            new AggregatingStateDescriptor<>("stats", new StatsAggregate(), StatsAggregate.StatsSerializer.INSTANCE);

    /** The function does nothing: the test reads and writes state through {@link OperatorHarness#state}. */
    static final KeyedProcessFunction<Integer, Integer, Void> NOTHING = (value, ctx, out) -> {};

    /** The expected content of every state, per key; absent means empty. */
    static final class Oracle {
        final Map<Integer, Long> values = new HashMap<>();
        final Map<Integer, List<String>> lists = new HashMap<>();
        final Map<Integer, Map<Integer, String>> maps = new HashMap<>();
        final Map<Integer, Long> sums = new HashMap<>();
        final Map<Integer, List<Long>> added = new HashMap<>();
    }

    @Test
    void everyStateKindMatchesAPlainJavaOracleUnderRandomOperations() throws Exception {
        for (long seed = 1; seed <= 12; seed++) {
            runSeed(seed, 40_000);
        }
    }

    private static KeyedProcessFunctionHarness<Integer, Integer, Void> harness(Subtask subtask, List<HarnessSnapshot> from) {
        return KeyedProcessFunctionHarness.restoredFrom(from, subtask, k -> k, Types.INT, NOTHING);
    }

    private static void runSeed(long seed, int steps) throws Exception {
        System.out.println("KeyedStateOracleTest seed " + seed);
        Random random = new Random(seed);
        int parallelism = 1 + random.nextInt(3);
        Subtask subtask = new Subtask(random.nextInt(parallelism), parallelism, random.nextBoolean() ? 128 : 7 + random.nextInt(30));
        List<Integer> keys = OwnedKeys.of(subtask, 500);
        Oracle oracle = new Oracle();
        var h = harness(subtask, List.of());
        int restores = 0;
        for (int step = 0; step < steps; step++) {
            String where = "seed " + seed + ", " + subtask + ", step " + step;
            // A few hot keys and a long tail, so both long histories and sparse keys occur.
            Integer key = keys.get(random.nextInt(random.nextInt(4) == 0 ? keys.size() : 20));
            switch (random.nextInt(5)) {
                case 0 -> valueStep(random, h, key, oracle, where);
                case 1 -> listStep(random, h, key, oracle, where);
                case 2 -> mapStep(random, h, key, oracle, where);
                case 3 -> sumStep(random, h, key, oracle, where);
                default -> statsStep(random, h, key, oracle, where);
            }
            if (random.nextInt(3_000) == 0) {
                HarnessSnapshot snapshot = h.snapshot();
                h.close();
                h = harness(subtask, List.of(snapshot));
                restores++;
            }
        }
        String where = "seed " + seed + ", " + subtask + " at the end (" + restores + " restores)";
        checkAll(h, keys, oracle, where);
        // Counting entries: every non-empty key has exactly one entry per state, empty ones none.
        assertEquals(oracle.values.size(), h.keyedBackend().entryCount("value"), where);
        assertEquals(oracle.lists.size(), h.keyedBackend().entryCount("list"), where);
        assertEquals(oracle.maps.size(), h.keyedBackend().entryCount("map"), where);
        assertEquals(oracle.sums.size(), h.keyedBackend().entryCount("sum"), where);
        assertEquals(oracle.added.size(), h.keyedBackend().entryCount("stats"), where);
        // And once more after a final snapshot and restore.
        var restored = harness(subtask, List.of(h.snapshot()));
        checkAll(restored, keys, oracle, where + ", restored");
        h.close();
        restored.close();
    }

    static void checkAll(OperatorHarness<Integer, Void> h, List<Integer> keys, Oracle oracle, String where) {
        for (Integer key : keys) {
            String w = where + ", key " + key;
            assertEquals(oracle.values.getOrDefault(key, -1L), h.state(key, VALUE).value(), w);
            assertEquals(oracle.lists.getOrDefault(key, List.of()), h.state(key, LIST).get(), w);
            assertEquals(oracle.maps.getOrDefault(key, Map.of()), asMap(h.state(key, MAP)), w);
            assertEquals(oracle.sums.get(key), h.state(key, SUM).get(), w);
            assertEquals(Summary.of(oracle.added.getOrDefault(key, List.of())), h.state(key, STATS).get(), w);
        }
    }

    static Map<Integer, String> asMap(MapState<Integer, String> state) {
        Map<Integer, String> m = new HashMap<>();
        state.entries().forEach(e -> m.put(e.getKey(), e.getValue()));
        return m;
    }

    private static void valueStep(Random random, OperatorHarness<Integer, Void> h, Integer key, Oracle o, String where) {
        ValueState<Long> s = h.state(key, VALUE);
        switch (random.nextInt(5)) {
            case 0, 1 -> assertEquals(o.values.getOrDefault(key, -1L), s.value(), where);
            case 2 -> {
                long v = s.value() + 1 + random.nextInt(10); // read, then write: one probe in the backend
                s.update(v);
                o.values.put(key, v);
            }
            case 3 -> {
                s.update(null); // null clears
                o.values.remove(key);
            }
            default -> {
                s.clear();
                o.values.remove(key);
            }
        }
    }

    private static List<String> randomStrings(Random random, int max) {
        List<String> l = new ArrayList<>();
        for (int i = random.nextInt(max + 1); i > 0; i--) {
            l.add("s" + random.nextInt(50));
        }
        return l;
    }

    private static void listStep(Random random, OperatorHarness<Integer, Void> h, Integer key, Oracle o, String where) {
        ListState<String> s = h.state(key, LIST);
        switch (random.nextInt(6)) {
            case 0, 1 -> assertEquals(o.lists.getOrDefault(key, List.of()), s.get(), where);
            case 2 -> {
                String v = "a" + random.nextInt(100);
                s.add(v);
                o.lists.computeIfAbsent(key, k -> new ArrayList<>()).add(v);
            }
            case 3 -> {
                List<String> vs = randomStrings(random, 3);
                s.addAll(vs);
                if (!vs.isEmpty()) {
                    o.lists.computeIfAbsent(key, k -> new ArrayList<>()).addAll(vs);
                }
            }
            case 4 -> {
                List<String> vs = randomStrings(random, 3);
                s.update(vs);
                if (vs.isEmpty()) {
                    o.lists.remove(key);
                } else {
                    o.lists.put(key, new ArrayList<>(vs));
                }
            }
            default -> {
                s.clear();
                o.lists.remove(key);
            }
        }
    }

    private static void mapStep(Random random, OperatorHarness<Integer, Void> h, Integer key, Oracle o, String where) {
        MapState<Integer, String> s = h.state(key, MAP);
        Map<Integer, String> expected = o.maps.getOrDefault(key, Map.of());
        int k = random.nextInt(12);
        switch (random.nextInt(9)) {
            case 0 -> assertEquals(expected.get(k), s.get(k), where);
            case 1 -> assertEquals(expected.containsKey(k), s.contains(k), where);
            case 2 -> {
                assertEquals(expected, asMap(s), where);
                List<Integer> keys = new ArrayList<>();
                s.keys().forEach(keys::add);
                assertEquals(expected.keySet(), new java.util.HashSet<>(keys), where);
                List<String> values = new ArrayList<>();
                s.values().forEach(values::add);
                assertEquals(expected.values().stream().sorted().toList(), values.stream().sorted().toList(), where);
            }
            case 3 -> assertEquals(expected.isEmpty(), s.isEmpty(), where);
            case 4, 5 -> {
                String v = "m" + random.nextInt(100);
                s.put(k, v);
                o.maps.computeIfAbsent(key, x -> new HashMap<>()).put(k, v);
            }
            case 6 -> {
                Map<Integer, String> more = new LinkedHashMap<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    more.put(random.nextInt(12), "p" + random.nextInt(100));
                }
                s.putAll(more);
                if (!more.isEmpty()) {
                    o.maps.computeIfAbsent(key, x -> new HashMap<>()).putAll(more);
                }
            }
            case 7 -> {
                s.remove(k);
                Map<Integer, String> m = o.maps.get(key);
                if (m != null) {
                    m.remove(k);
                    if (m.isEmpty()) {
                        o.maps.remove(key);
                    }
                }
            }
            default -> {
                s.clear();
                o.maps.remove(key);
            }
        }
    }

    private static void sumStep(Random random, OperatorHarness<Integer, Void> h, Integer key, Oracle o, String where) {
        ReducingState<Long> s = h.state(key, SUM);
        switch (random.nextInt(4)) {
            case 0 -> assertEquals(o.sums.get(key), s.get(), where);
            case 1, 2 -> {
                long v = random.nextInt(1_000) - 300;
                s.add(v);
                o.sums.merge(key, v, Long::sum);
            }
            default -> {
                s.clear();
                o.sums.remove(key);
            }
        }
    }

    private static void statsStep(Random random, OperatorHarness<Integer, Void> h, Integer key, Oracle o, String where) {
        AggregatingState<Long, Summary> s = h.state(key, STATS);
        switch (random.nextInt(4)) {
            case 0 -> assertEquals(Summary.of(o.added.getOrDefault(key, List.of())), s.get(), where);
            case 1, 2 -> {
                long v = random.nextInt(1_000) - 300;
                s.add(v);
                o.added.computeIfAbsent(key, k -> new ArrayList<>()).add(v);
            }
            default -> {
                s.clear();
                o.added.remove(key);
            }
        }
    }
}
