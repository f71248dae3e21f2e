package io.sluice.state.rocksdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.functions.AggregateFunction;
import io.sluice.api.state.AggregatingState;
import io.sluice.api.state.AggregatingStateDescriptor;
import io.sluice.api.state.ListState;
import io.sluice.api.state.ListStateDescriptor;
import io.sluice.api.state.MapState;
import io.sluice.api.state.MapStateDescriptor;
import io.sluice.api.state.ReducingState;
import io.sluice.api.state.ReducingStateDescriptor;
import io.sluice.api.state.StateTtlConfig;
import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.Types;
import io.sluice.runtime.state.InternalKeyedState;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyGroups;
import io.sluice.runtime.state.KeyedStateSnapshot;
import io.sluice.runtime.timer.TimerQueue;
import io.sluice.runtime.timer.TimerQueues;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RocksDB backend against plain-Java oracles: every state kind, namespaces, merges, TTL, snapshots, rescaling. */
class RocksDbKeyedStateBackendTest {
    @TempDir
    Path tmp;

    /** Sum and count as an immutable list; an average. */
    static final AggregateFunction<Long, List<Long>, Double> AVERAGE = new AggregateFunction<>() {
        public List<Long> createAccumulator() { return List.of(0L, 0L); }
        public List<Long> add(Long v, List<Long> acc) { return List.of(acc.get(0) + v, acc.get(1) + 1); }
        public Double getResult(List<Long> acc) { return acc.get(1) == 0 ? null : (double) acc.get(0) / acc.get(1); }
        public List<Long> merge(List<Long> a, List<Long> b) { return List.of(a.get(0) + b.get(0), a.get(1) + b.get(1)); }
    };
    static final ValueStateDescriptor<Long> VALUE = new ValueStateDescriptor<>("value", Types.LONG, -1L);
    static final ListStateDescriptor<String> LIST = new ListStateDescriptor<>("list", Types.STRING);
    static final MapStateDescriptor<Integer, String> MAP = new MapStateDescriptor<>("map", Types.INT, Types.STRING);
    static final ReducingStateDescriptor<Long> SUM = new ReducingStateDescriptor<>("sum", Long::sum, Types.LONG);
    static final AggregatingStateDescriptor<Long, List<Long>, Double> AVG =
            new AggregatingStateDescriptor<>("avg", AVERAGE, Types.list(Types.LONG));

    RocksDbKeyedStateBackend backend(KeyGroupRange range, int maxP, AtomicLong clock) throws Exception {
        return new RocksDbKeyedStateBackend(range, maxP, Types.INT, clock::get, tmp,
                RocksDbOptions.defaults().withMemoryBudget(8L << 20).withIncremental(false));
    }

    /** The oracle: per (key, namespace) the expected content of each state. */
    static final class Oracle {
        final Map<List<Object>, Long> value = new HashMap<>();
        final Map<List<Object>, List<String>> list = new HashMap<>();
        final Map<List<Object>, Map<Integer, String>> map = new HashMap<>();
        final Map<List<Object>, Long> sum = new HashMap<>();
        final Map<List<Object>, List<Long>> avg = new HashMap<>();
    }

    static final class Handles {
        final ValueState<Long> value;
        final ListState<String> list;
        final MapState<Integer, String> map;
        final ReducingState<Long> sum;
        final AggregatingState<Long, Double> avg;

        Handles(RocksDbKeyedStateBackend b) {
            value = b.getNamespacedState(VALUE, Types.STRING);
            list = b.getNamespacedState(LIST, Types.STRING);
            map = b.getNamespacedState(MAP, Types.STRING);
            sum = b.getNamespacedState(SUM, Types.STRING);
            avg = b.getNamespacedState(AVG, Types.STRING);
        }

        void namespace(String ns) {
            for (Object h : List.of(value, list, map, sum, avg)) {
                ((InternalKeyedState) h).setCurrentNamespace(ns);
            }
        }
    }

    static List<Integer> ownedKeys(int subtask, int p, int maxP, int n) {
        List<Integer> keys = new ArrayList<>();
        for (int k = 0; keys.size() < n; k++) {
            if (KeyGroups.subtaskOf(KeyGroups.keyGroupOf(k, maxP), maxP, p) == subtask) {
                keys.add(k);
            }
        }
        return keys;
    }

    static void check(Handles h, Oracle o, Object key, String ns, String where) {
        List<Object> id = List.of(key, ns);
        assertEquals(o.value.getOrDefault(id, -1L), h.value.value(), where + " value");
        assertEquals(o.list.getOrDefault(id, List.of()), h.list.get(), where + " list");
        Map<Integer, String> actual = new TreeMap<>();
        h.map.entries().forEach(e -> actual.put(e.getKey(), e.getValue()));
        assertEquals(new TreeMap<>(o.map.getOrDefault(id, Map.of())), actual, where + " map");
        assertEquals(o.sum.get(id), h.sum.get(), where + " sum");
        List<Long> acc = o.avg.get(id);
        assertEquals(acc == null ? null : AVERAGE.getResult(acc), h.avg.get(), where + " avg");
    }

    @Test
    void randomOperationsOnEveryStateKindMatchAnOracleAndSurviveRescaling() throws Exception {
        for (long seed = 1; seed <= 6; seed++) {
            Random random = new Random(seed);
            int p = 1 + random.nextInt(3);
            int subtask = random.nextInt(p);
            int maxP = List.of(7, 128, 1024).get(random.nextInt(3));
            AtomicLong clock = new AtomicLong();
            List<Integer> keys = ownedKeys(subtask, p, maxP, 300);
            List<String> namespaces = List.of("a", "b", "c", "d");
            Oracle o = new Oracle();
            String where = "seed " + seed + " (subtask " + subtask + "/" + p + ", maxParallelism " + maxP + ")";
            KeyedStateSnapshot snapshot;
            try (RocksDbKeyedStateBackend b = backend(KeyGroupRange.of(subtask, p, maxP), maxP, clock)) {
                Handles h = new Handles(b);
                for (int step = 0; step < 20_000; step++) {
                    Integer key = keys.get(random.nextInt(random.nextBoolean() ? 20 : keys.size()));
                    String ns = namespaces.get(random.nextInt(namespaces.size()));
                    b.setCurrentKey(key);
                    h.namespace(ns);
                    List<Object> id = List.of(key, ns);
                    String at = where + " step " + step;
                    switch (random.nextInt(14)) {
                        case 0 -> check(h, o, key, ns, at);
                        case 1 -> {
                            long v = h.value.value() + random.nextInt(10);
                            h.value.update(v);
                            o.value.put(id, v);
                        }
                        case 2 -> {
                            String s = "s" + random.nextInt(50);
                            h.list.add(s);
                            o.list.computeIfAbsent(id, k -> new ArrayList<>()).add(s);
                        }
                        case 3 -> {
                            List<String> l = List.of("u" + random.nextInt(9), "v" + random.nextInt(9));
                            if (random.nextBoolean()) {
                                h.list.update(l);
                                o.list.put(id, new ArrayList<>(l));
                            } else {
                                h.list.addAll(l);
                                o.list.computeIfAbsent(id, k -> new ArrayList<>()).addAll(l);
                            }
                        }
                        case 4, 5 -> {
                            int mk = random.nextInt(random.nextBoolean() ? 5 : 1000) - 2;
                            String mv = "m" + random.nextInt(100);
                            h.map.put(mk, mv);
                            o.map.computeIfAbsent(id, k -> new HashMap<>()).put(mk, mv);
                        }
                        case 6 -> {
                            int mk = random.nextInt(5) - 2;
                            if (random.nextBoolean()) {
                                assertEquals(o.map.getOrDefault(id, Map.of()).get(mk), h.map.get(mk), at);
                                assertEquals(o.map.getOrDefault(id, Map.of()).containsKey(mk), h.map.contains(mk), at);
                            } else {
                                h.map.remove(mk);
                                Map<Integer, String> m = o.map.get(id);
                                if (m != null) {
                                    m.remove(mk);
                                }
                            }
                        }
                        case 7 -> {
                            long v = random.nextInt(100);
                            h.sum.add(v);
                            o.sum.merge(id, v, Long::sum);
                        }
                        case 8 -> {
                            long v = random.nextInt(100);
                            h.avg.add(v);
                            o.avg.put(id, AVERAGE.add(v, o.avg.getOrDefault(id, AVERAGE.createAccumulator())));
                        }
                        case 9 -> {
                            switch (random.nextInt(5)) {
                                case 0 -> { h.value.clear(); o.value.remove(id); }
                                case 1 -> { h.list.clear(); o.list.remove(id); }
                                case 2 -> { h.map.clear(); o.map.remove(id); }
                                case 3 -> { h.sum.clear(); o.sum.remove(id); }
                                default -> { h.avg.clear(); o.avg.remove(id); }
                            }
                        }
                        case 10 -> {
                            // merge two other namespaces into this one
                            List<String> sources = List.of(namespaces.get(random.nextInt(4)), namespaces.get(random.nextInt(4)))
                                    .stream().distinct().filter(s -> !s.equals(ns)).toList();
                            for (Object handle : List.of(h.list, h.map, h.sum, h.avg)) {
                                ((InternalKeyedState) handle).mergeNamespaces(ns, sources);
                            }
                            mergeOracle(o, key, ns, sources);
                        }
                        case 11 -> assertEquals(o.map.getOrDefault(id, Map.of()).isEmpty(), h.map.isEmpty(), at);
                        default -> {
                            List<String> l = h.list.get();
                            assertEquals(o.list.getOrDefault(id, List.of()), l, at);
                        }
                    }
                }
                for (Integer key : keys) {
                    b.setCurrentKey(key);
                    for (String ns : namespaces) {
                        h.namespace(ns);
                        check(h, o, key, ns, where + " final " + key + "/" + ns);
                    }
                }
                assertThrows(UnsupportedOperationException.class,
                        () -> ((InternalKeyedState) h.value).mergeNamespaces("a", List.of("b")));
                snapshot = b.snapshot().write();
                // writes after the snapshot do not leak into it
                b.setCurrentKey(keys.getFirst());
                h.namespace("a");
                h.value.update(123456L);
            }
            // restore at 1, 2 and 3 subtasks: every key lands exactly where it belongs
            for (int newP = 1; newP <= 3; newP++) {
                int total = 0;
                for (int s = 0; s < newP; s++) {
                    KeyGroupRange range = KeyGroupRange.of(s, newP, maxP);
                    try (RocksDbKeyedStateBackend r = backend(range, maxP, clock)) {
                        r.restore(List.of(snapshot));
                        Handles h = new Handles(r);
                        for (Integer key : keys) {
                            if (range.contains(KeyGroups.keyGroupOf(key, maxP))) {
                                r.setCurrentKey(key);
                                total++;
                                for (String ns : namespaces) {
                                    h.namespace(ns);
                                    check(h, o, key, ns, where + " restored at " + s + "/" + newP + " key " + key + "/" + ns);
                                }
                            } else {
                                assertThrows(IllegalStateException.class, () -> r.setCurrentKey(key));
                            }
                        }
                        // nothing beyond the oracle's entries
                        long values = o.value.keySet().stream()
                                .filter(id -> range.contains(KeyGroups.keyGroupOf(id.getFirst(), maxP))).count();
                        assertEquals(values, r.entryCount("value"), where + " value entries at " + s + "/" + newP);
                    }
                }
                assertEquals(keys.size(), total);
            }
        }
    }

    static void mergeOracle(Oracle o, Object key, String target, List<String> sources) {
        List<Object> t = List.of(key, target);
        List<String> mergedList = new ArrayList<>();
        Map<Integer, String> mergedMap = new HashMap<>();
        Long mergedSum = null;
        List<Long> mergedAcc = null;
        for (String s : sources) {
            List<Object> id = List.of(key, s);
            List<String> l = o.list.remove(id);
            if (l != null) {
                mergedList.addAll(l);
            }
            Map<Integer, String> m = o.map.remove(id);
            if (m != null) {
                mergedMap.putAll(m);
            }
            Long v = o.sum.remove(id);
            if (v != null) {
                mergedSum = mergedSum == null ? v : mergedSum + v;
            }
            List<Long> a = o.avg.remove(id);
            if (a != null) {
                mergedAcc = mergedAcc == null ? a : AVERAGE.merge(mergedAcc, a);
            }
        }
        if (!mergedList.isEmpty()) {
            o.list.computeIfAbsent(t, k -> new ArrayList<>()).addAll(mergedList);
        }
        if (!mergedMap.isEmpty()) {
            o.map.computeIfAbsent(t, k -> new HashMap<>()).putAll(mergedMap);
        }
        if (mergedSum != null) {
            o.sum.merge(t, mergedSum, Long::sum);
        }
        if (mergedAcc != null) {
            o.avg.merge(t, mergedAcc, AVERAGE::merge);
        }
    }

    @Test
    void timeToLiveWithAManualClock() throws Exception {
        AtomicLong clock = new AtomicLong(1_000);
        StateTtlConfig ttl = StateTtlConfig.of(Duration.ofMillis(100));
        try (RocksDbKeyedStateBackend b = backend(new KeyGroupRange(0, 16), 16, clock)) {
            ValueState<Long> value = b.getState(VALUE.withTtl(ttl));
            ValueState<Long> renewing = b.getState(new ValueStateDescriptor<>("renewing", Types.LONG, null, ttl.updateOnReadAndWrite()));
            ListState<String> list = b.getState(LIST.withTtl(ttl));
            MapState<Integer, String> map = b.getState(MAP.withTtl(ttl));
            ReducingState<Long> sum = b.getState(SUM.withTtl(ttl));
            AggregatingState<Long, Double> avg = b.getState(AVG.withTtl(ttl));
            b.setCurrentKey(1);
            value.update(5L);
            renewing.update(6L);
            list.add("x");
            map.put(1, "one");
            sum.add(3L);
            avg.add(4L);
            clock.set(1_050);
            list.add("y"); // expires at 1150
            map.put(2, "two");
            assertEquals(6L, renewing.value()); // renewed to 1150
            clock.set(1_099);
            assertEquals(5L, value.value());
            assertEquals(List.of("x", "y"), list.get());
            assertEquals(3L, sum.get());
            assertEquals(4.0, avg.get());
            // a snapshot taken now keeps only what lives at 1100
            clock.set(1_100);
            KeyedStateSnapshot snapshot = b.snapshot().write();
            assertEquals(-1L, value.value());
            assertEquals(6L, renewing.value());
            assertEquals(List.of("y"), list.get());
            assertNull(map.get(1));
            assertEquals("two", map.get(2));
            assertNull(sum.get());
            assertNull(avg.get());
            sum.add(7L); // an expired value is not reduced with
            assertEquals(7L, sum.get());
            clock.set(1_300);
            assertEquals(List.of(), list.get());
            assertTrue(map.isEmpty());
            assertNull(renewing.value());
            assertEquals(0, b.entryCount("list"));
            assertEquals(0, b.entryCount("map"));

            clock.set(1_100);
            try (RocksDbKeyedStateBackend r = backend(new KeyGroupRange(0, 16), 16, clock)) {
                r.restore(List.of(snapshot));
                assertEquals(0, r.entryCount("value"));
                assertEquals(1, r.entryCount("list"));
                assertEquals(1, r.entryCount("map"));
                r.setCurrentKey(1);
                assertEquals(List.of("y"), r.getState(LIST.withTtl(ttl)).get());
                // TTL switched off at restore: values keep living
                MapState<Integer, String> m = r.getState(MAP);
                clock.set(10_000);
                assertEquals("two", m.get(2));
                // TTL kept: the restored expiry (1150) still applies
                ValueState<Long> rv = r.getState(new ValueStateDescriptor<>("renewing", Types.LONG, null, ttl));
                assertNull(rv.value());
            }
        }
    }

    @Test
    void ttlSwitchedOnAtRestoreStartsAtRestoreTime() throws Exception {
        AtomicLong clock = new AtomicLong(0);
        KeyedStateSnapshot snapshot;
        try (RocksDbKeyedStateBackend b = backend(new KeyGroupRange(0, 4), 4, clock)) {
            b.setCurrentKey(7);
            b.getState(LIST).update(List.of("a", "b"));
            b.getState(VALUE).update(9L);
            snapshot = b.snapshot().write();
        }
        clock.set(500);
        StateTtlConfig ttl = StateTtlConfig.of(Duration.ofMillis(10));
        try (RocksDbKeyedStateBackend r = backend(new KeyGroupRange(0, 4), 4, clock)) {
            r.restore(List.of(snapshot));
            r.setCurrentKey(7);
            ListState<String> list = r.getState(LIST.withTtl(ttl));
            ValueState<Long> value = r.getState(VALUE.withTtl(ttl));
            clock.set(509);
            assertEquals(List.of("a", "b"), list.get());
            assertEquals(9L, value.value());
            clock.set(510);
            assertEquals(List.of(), list.get());
            assertEquals(-1L, value.value());
        }
    }

    @Test
    void timersAreSnapshottedByKeyGroupAndRestoredWhereTheyBelong() throws Exception {
        AtomicLong clock = new AtomicLong();
        int maxP = 64;
        KeyedStateSnapshot snapshot;
        List<Integer> keys = ownedKeys(0, 1, maxP, 100);
        try (RocksDbKeyedStateBackend b = backend(new KeyGroupRange(0, maxP), maxP, clock)) {
            TimerQueues q = b.timerQueues("timers", Types.STRING);
            for (Integer k : keys) {
                q.eventTime().add(new TimerQueue.Timer(k * 10L, k, "w" + k));
                q.processingTime().add(new TimerQueue.Timer(k * 20L, k, "p"));
            }
            b.getState(VALUE); // a state with no entries
            snapshot = b.snapshot().write();
        }
        int events = 0;
        for (int s = 0; s < 3; s++) {
            KeyGroupRange range = KeyGroupRange.of(s, 3, maxP);
            try (RocksDbKeyedStateBackend r = backend(range, maxP, clock)) {
                r.restore(List.of(snapshot));
                TimerQueues q = r.timerQueues("timers", Types.STRING);
                for (TimerQueue.Timer t : q.eventTime().copy()) {
                    assertTrue(range.contains(KeyGroups.keyGroupOf(t.key(), maxP)));
                    assertEquals("w" + t.key(), t.namespace());
                    assertEquals((Integer) t.key() * 10L, t.time());
                    events++;
                }
                assertEquals(q.eventTime().size(), q.processingTime().size());
            }
        }
        assertEquals(keys.size(), events);
        // timers nobody asked for are carried into the next snapshot unchanged
        try (RocksDbKeyedStateBackend r = backend(new KeyGroupRange(0, maxP), maxP, clock)) {
            r.restore(List.of(snapshot));
            KeyedStateSnapshot again = r.snapshot().write();
            try (RocksDbKeyedStateBackend r2 = backend(new KeyGroupRange(0, maxP), maxP, clock)) {
                r2.restore(List.of(again));
                assertEquals(keys.size(), r2.timerQueues("timers", Types.STRING).eventTime().size());
            }
        }
    }

    @Test
    void snapshotIsWrittenOffTheTaskThreadWhileStateChanges() throws Exception {
        AtomicLong clock = new AtomicLong();
        try (RocksDbKeyedStateBackend b = backend(new KeyGroupRange(0, 32), 32, clock)) {
            ValueState<Long> v = b.getState(VALUE);
            for (int k = 0; k < 1000; k++) {
                b.setCurrentKey(k);
                v.update((long) k);
            }
            var pending = b.snapshot();
            for (int k = 0; k < 1000; k++) {
                b.setCurrentKey(k);
                v.update(-5L);
            }
            KeyedStateSnapshot[] out = new KeyedStateSnapshot[1];
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    out[0] = pending.write();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            t.join();
            try (RocksDbKeyedStateBackend r = backend(new KeyGroupRange(0, 32), 32, clock)) {
                r.restore(List.of(out[0]));
                ValueState<Long> rv = r.getState(VALUE);
                for (int k = 0; k < 1000; k++) {
                    r.setCurrentKey(k);
                    assertEquals((long) k, rv.value());
                }
            }
            assertThrows(IllegalStateException.class, () -> pending.write());
        }
    }

    @Test
    void kindMismatchAndMisuseAreReported() throws Exception {
        AtomicLong clock = new AtomicLong();
        try (RocksDbKeyedStateBackend b = backend(new KeyGroupRange(0, 8), 8, clock)) {
            b.getState(VALUE);
            assertThrows(IllegalStateException.class, () -> b.getState(new ListStateDescriptor<>("value", Types.STRING)));
            ValueState<Long> ns = b.getNamespacedState(new ValueStateDescriptor<>("ns", Types.LONG), Types.STRING);
            b.setCurrentKey(1);
            assertThrows(IllegalStateException.class, ns::value);
            assertThrows(IllegalStateException.class, () -> b.restore(List.of()));
        }
    }

    @Test
    void closeFreesEverythingAndDeletesTheDirectory() throws Exception {
        AtomicLong clock = new AtomicLong();
        RocksDbKeyedStateBackend b = backend(new KeyGroupRange(0, 8), 8, clock);
        Path dir = b.directory();
        assertTrue(Files.isDirectory(dir));
        MapState<Integer, String> m = b.getState(MAP);
        for (int k = 0; k < 2000; k++) {
            b.setCurrentKey(k);
            m.put(k, "v" + k);
        }
        assertTrue(b.nativeMemoryUsage() > 0);
        var unwritten = b.snapshot(); // released by close
        b.close();
        b.close(); // idempotent
        assertFalse(Files.exists(dir));
        assertThrows(java.io.IOException.class, unwritten::write);
        assertThrows(IllegalStateException.class, () -> b.getState(VALUE));
        try (var left = Files.list(tmp)) {
            assertEquals(0, left.count());
        }
    }
}
