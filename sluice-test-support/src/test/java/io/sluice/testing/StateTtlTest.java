package io.sluice.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyedStateSnapshot;
import io.sluice.runtime.state.heap.HeapKeyedStateBackend;
import io.sluice.testing.StatsAggregate.Summary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Time to live of keyed state on the heap backend, with a clock the test moves: expired values, list elements and map
 * entries are never returned; what renews an entry (writes only, or reads too); snapshots leave expired entries out;
 * expired entries are dropped when next accessed, which entry counts show.
 */
class StateTtlTest {
    static final long TTL = 100;
    static final StateTtlConfig ON_WRITE = StateTtlConfig.of(Duration.ofMillis(TTL));
    static final StateTtlConfig ON_READ = ON_WRITE.updateOnReadAndWrite();

    /** The backend's processing time, moved by the test. */
    private long now;

    private HeapKeyedStateBackend backend() {
        return new HeapKeyedStateBackend(new KeyGroupRange(0, 128), 128, Types.INT, () -> now);
    }

    static ValueStateDescriptor<String> value(StateTtlConfig ttl) {
        return new ValueStateDescriptor<>("value", Types.STRING, "none").withTtl(ttl);
    }

    static ListStateDescriptor<String> list(StateTtlConfig ttl) {
        return new ListStateDescriptor<>("list", Types.STRING).withTtl(ttl);
    }

    static MapStateDescriptor<String, Integer> map(StateTtlConfig ttl) {
        return new MapStateDescriptor<>("map", Types.STRING, Types.INT).withTtl(ttl);
    }

    static ReducingStateDescriptor<Long> sum(StateTtlConfig ttl) {
        return new ReducingStateDescriptor<>("sum", Long::sum, Types.LONG).withTtl(ttl);
    }

    static AggregatingStateDescriptor<Long, StatsAggregate.Stats, Summary> stats(StateTtlConfig ttl) {
        return new AggregatingStateDescriptor<>("stats", new StatsAggregate(), StatsAggregate.StatsSerializer.INSTANCE).withTtl(ttl);
    }

    @Test
    void aValueLivesUntilItsTimeAndOnlyWritesRenewIt() {
        HeapKeyedStateBackend b = backend();
        ValueState<String> s = b.getState(value(ON_WRITE));
        b.setCurrentKey(1);
        s.update("a");
        now = 99;
        assertEquals("a", s.value());
        now = 100;
        assertEquals("none", s.value(), "expired at exactly created + ttl; the default is returned");
        s.update("b"); // written at 100: lives until 200; the read at 150 does not renew
        now = 150;
        assertEquals("b", s.value());
        now = 199;
        assertEquals("b", s.value());
        now = 200;
        assertEquals("none", s.value());
    }

    @Test
    void withUpdateOnReadAValueReadInTimeLivesOn() {
        HeapKeyedStateBackend b = backend();
        ValueState<String> s = b.getState(value(ON_READ));
        b.setCurrentKey(1);
        s.update("a");
        now = 90;
        assertEquals("a", s.value()); // renewed until 190
        now = 180;
        assertEquals("a", s.value()); // renewed until 280
        now = 279;
        assertEquals("a", s.value()); // renewed until 379
        now = 379;
        assertEquals("none", s.value());
    }

    @Test
    void listElementsExpireOneByOne() {
        HeapKeyedStateBackend b = backend();
        ListState<String> s = b.getState(list(ON_WRITE));
        b.setCurrentKey(1);
        s.add("a");
        now = 50;
        s.addAll(List.of("b", "c"));
        now = 99;
        assertEquals(List.of("a", "b", "c"), s.get());
        now = 100;
        assertEquals(List.of("b", "c"), s.get(), "reading does not renew: a expired at 100");
        now = 150;
        assertEquals(List.of(), s.get());
        assertEquals(0, b.entryCount("list"), "a list whose elements all expired is removed when read");
        s.update(List.of("d"));
        now = 249;
        assertEquals(List.of("d"), s.get());
    }

    @Test
    void withUpdateOnReadReadingAListRenewsEveryElement() {
        HeapKeyedStateBackend b = backend();
        ListState<String> s = b.getState(list(ON_READ));
        b.setCurrentKey(1);
        s.add("a");
        now = 60;
        s.add("b");
        now = 90;
        assertEquals(List.of("a", "b"), s.get()); // both renewed until 190
        now = 189;
        assertEquals(List.of("a", "b"), s.get());
        now = 289;
        assertEquals(List.of(), s.get());
    }

    @Test
    void mapEntriesExpireOneByOneInEveryReadMethod() {
        HeapKeyedStateBackend b = backend();
        MapState<String, Integer> s = b.getState(map(ON_WRITE));
        b.setCurrentKey(1);
        s.put("x", 1);
        now = 50;
        s.putAll(Map.of("y", 2, "z", 3));
        now = 100;
        assertNull(s.get("x"));
        assertFalse(s.contains("x"));
        assertEquals(Map.of("y", 2, "z", 3), entries(s));
        List<String> keys = new ArrayList<>();
        s.keys().forEach(keys::add);
        assertEquals(List.of("y", "z"), keys.stream().sorted().toList());
        List<Integer> values = new ArrayList<>();
        s.values().forEach(values::add);
        assertEquals(List.of(2, 3), values.stream().sorted().toList());
        assertFalse(s.isEmpty());
        s.put("y", 20); // renewed until 200
        now = 150;
        assertEquals(Map.of("y", 20), entries(s));
        now = 200;
        assertTrue(s.isEmpty());
        assertEquals(0, b.entryCount("map"));
    }

    @Test
    void withUpdateOnReadAMapGetRenewsOnlyTheEntryRead() {
        HeapKeyedStateBackend b = backend();
        MapState<String, Integer> s = b.getState(map(ON_READ));
        b.setCurrentKey(1);
        s.put("x", 1);
        s.put("y", 2);
        now = 90;
        assertEquals(1, s.get("x")); // x until 190; y still until 100
        now = 100;
        assertNull(s.get("y"));
        assertEquals(Map.of("x", 1), entries(s)); // entries() reads, so renews, x: until 200
        now = 199;
        assertTrue(s.contains("x"));
        now = 400;
        assertTrue(s.isEmpty());
    }

    @Test
    void reducingAndAggregatingStartAfreshOnceExpired() {
        for (StateTtlConfig ttl : List.of(ON_WRITE, ON_READ)) {
            now = 0;
            HeapKeyedStateBackend b = backend();
            ReducingState<Long> sum = b.getState(sum(ttl));
            AggregatingState<Long, Summary> stats = b.getState(stats(ttl));
            b.setCurrentKey(7);
            sum.add(5L);
            stats.add(5L);
            now = 50;
            sum.add(3L); // a write renews: until 150
            stats.add(3L);
            now = 149;
            assertEquals(8L, sum.get(), ttl.toString());
            assertEquals(new Summary(2, 8, 5), stats.get(), ttl.toString());
            now = 150; // the reads at 149 renewed until 249 with update-on-read only
            assertEquals(ttl == ON_READ ? (Long) 8L : null, sum.get(), ttl.toString());
            assertEquals(ttl == ON_READ ? new Summary(2, 8, 5) : null, stats.get(), ttl.toString());
            now = 400;
            sum.add(2L);
            stats.add(2L);
            assertEquals(2L, sum.get(), ttl + ": an expired value is not reduced with");
            assertEquals(new Summary(1, 2, 2), stats.get(), ttl + ": an expired accumulator is not added to");
            now += TTL;
            assertNull(sum.get(), ttl.toString());
            assertNull(stats.get(), ttl.toString());
            assertEquals(0, b.entryCount("sum"));
            assertEquals(0, b.entryCount("stats"));
        }
    }

    @Test
    void snapshotsLeaveExpiredEntriesOut() throws Exception {
        HeapKeyedStateBackend b = backend();
        ValueState<String> v = b.getState(value(ON_WRITE));
        ListState<String> l = b.getState(list(ON_WRITE));
        MapState<String, Integer> m = b.getState(map(ON_WRITE));
        ReducingState<Long> r = b.getState(sum(ON_WRITE));
        AggregatingState<Long, Summary> a = b.getState(stats(ON_WRITE));
        for (int k = 0; k < 40; k++) { // keys 0..19 written at 0 (expire at 100), 20..39 at 50 (expire at 150)
            now = k < 20 ? 0 : 50;
            b.setCurrentKey(k);
            v.update("v" + k);
            r.add((long) k);
            a.add((long) k);
        }
        b.setCurrentKey(1000);
        now = 0;
        l.add("old");
        m.put("old", 1);
        now = 50;
        l.add("new");
        m.put("new", 2);
        now = 100; // nothing has been read since: no entry was removed yet
        assertEquals(40, b.entryCount("value"));
        KeyedStateSnapshot snapshot = b.snapshot().write();

        // Restored with the clock back at 0, entries written with an expiry of 100 would look alive again:
        // so what is absent here was left out of the snapshot.
        now = 0;
        HeapKeyedStateBackend restored = backend();
        restored.restore(List.of(snapshot));
        ValueState<String> v2 = restored.getState(value(ON_WRITE));
        ListState<String> l2 = restored.getState(list(ON_WRITE));
        MapState<String, Integer> m2 = restored.getState(map(ON_WRITE));
        ReducingState<Long> r2 = restored.getState(sum(ON_WRITE));
        AggregatingState<Long, Summary> a2 = restored.getState(stats(ON_WRITE));
        assertEquals(20, restored.entryCount("value"));
        assertEquals(20, restored.entryCount("sum"));
        assertEquals(20, restored.entryCount("stats"));
        for (int k = 0; k < 40; k++) {
            restored.setCurrentKey(k);
            assertEquals(k < 20 ? "none" : "v" + k, v2.value(), "key " + k);
            assertEquals(k < 20 ? null : (Long) (long) k, r2.get(), "key " + k);
            assertEquals(k < 20 ? null : new Summary(1, k, k), a2.get(), "key " + k);
        }
        restored.setCurrentKey(1000);
        assertEquals(List.of("new"), l2.get());
        assertEquals(Map.of("new", 2), entries(m2));
        // Restored entries keep their expiry time: at 150 the rest expires.
        now = 150;
        assertEquals(List.of(), l2.get());
        assertTrue(m2.isEmpty());
        restored.setCurrentKey(25);
        assertEquals("none", v2.value());
    }

    @Test
    void expiredEntriesAreCountedUntilAccessedThenDropped() {
        HeapKeyedStateBackend b = backend();
        ValueState<String> v = b.getState(value(ON_WRITE));
        ListState<String> l = b.getState(list(ON_WRITE));
        MapState<String, Integer> m = b.getState(map(ON_WRITE));
        ReducingState<Long> r = b.getState(sum(ON_WRITE));
        AggregatingState<Long, Summary> a = b.getState(stats(ON_WRITE));
        int keys = 300;
        for (int k = 0; k < keys; k++) {
            b.setCurrentKey(k);
            v.update("x");
            l.add("x");
            m.put("x", 1);
            r.add(1L);
            a.add(1L);
        }
        now = 1_000;
        for (String name : List.of("value", "list", "map", "sum", "stats")) {
            assertEquals(keys, b.entryCount(name), name + ": cleanup is lazy, nothing is dropped without an access");
        }
        for (int k = 0; k < keys / 2; k++) {
            b.setCurrentKey(k);
            assertEquals("none", v.value());
            assertEquals(List.of(), l.get());
            assertNull(m.get("x"));
            assertNull(r.get());
            assertNull(a.get());
        }
        for (String name : List.of("value", "list", "map", "sum", "stats")) {
            assertEquals(keys - keys / 2, b.entryCount(name), name + " after reading half the keys");
        }
        for (int k = keys / 2; k < keys; k++) {
            b.setCurrentKey(k);
            v.value();
            l.get();
            m.isEmpty();
            r.get();
            a.get();
        }
        for (String name : List.of("value", "list", "map", "sum", "stats")) {
            assertEquals(0, b.entryCount(name), name + " after reading every key");
        }
    }

    /**
     * Value, list and map state with TTL against an oracle that keeps each unit's expiry time and applies the rules:
     * a write sets it to now + ttl, a read of a live unit renews it only with update-on-read, and a unit is gone from
     * its expiry time on. The clock moves in random steps; both update types; several seeds.
     */
    @Test
    void randomOperationsWithTtlMatchAnOracleOfExpiryTimes() {
        for (long seed = 1; seed <= 8; seed++) {
            StateTtlConfig ttl = seed % 2 == 0 ? ON_READ : ON_WRITE;
            boolean renewOnRead = ttl == ON_READ;
            String where0 = "seed " + seed + " (" + ttl.updateType() + ")";
            System.out.println("StateTtlTest seed " + seed);
            Random random = new Random(seed);
            now = 0;
            HeapKeyedStateBackend b = backend();
            ValueState<String> v = b.getState(value(ttl));
            ListState<String> l = b.getState(list(ttl));
            MapState<String, Integer> m = b.getState(map(ttl));
            record Unit<T>(T value, long expiresAt) {}
            Map<Integer, Unit<String>> values = new HashMap<>();
            Map<Integer, List<Unit<String>>> lists = new HashMap<>();
            Map<Integer, Map<String, Unit<Integer>>> maps = new HashMap<>();
            for (int step = 0; step < 30_000; step++) {
                String where = where0 + ", step " + step + ", time " + now;
                now += random.nextInt(4) == 0 ? random.nextInt(30) : 0;
                int key = random.nextInt(30);
                b.setCurrentKey(key);
                switch (random.nextInt(8)) {
                    case 0 -> { // value read
                        Unit<String> u = values.get(key);
                        boolean live = u != null && now < u.expiresAt();
                        assertEquals(live ? u.value() : "none", v.value(), where);
                        if (live && renewOnRead) {
                            values.put(key, new Unit<>(u.value(), now + TTL));
                        } else if (!live) {
                            values.remove(key);
                        }
                    }
                    case 1 -> {
                        String x = "v" + random.nextInt(100);
                        v.update(x);
                        values.put(key, new Unit<>(x, now + TTL));
                    }
                    case 2 -> { // list read
                        List<Unit<String>> units = lists.getOrDefault(key, List.of());
                        List<Unit<String>> live = units.stream().filter(u -> now < u.expiresAt()).toList();
                        assertEquals(live.stream().map(Unit::value).toList(), l.get(), where);
                        List<Unit<String>> next = renewOnRead ? live.stream().map(u -> new Unit<>(u.value(), now + TTL)).toList() : live;
                        if (next.isEmpty()) {
                            lists.remove(key);
                        } else {
                            lists.put(key, new ArrayList<>(next));
                        }
                    }
                    case 3 -> {
                        String x = "l" + random.nextInt(100);
                        l.add(x);
                        lists.computeIfAbsent(key, k -> new ArrayList<>()).add(new Unit<>(x, now + TTL));
                    }
                    case 4 -> { // map get
                        String mk = "k" + random.nextInt(5);
                        Unit<Integer> u = maps.getOrDefault(key, Map.of()).get(mk);
                        boolean live = u != null && now < u.expiresAt();
                        assertEquals(live ? u.value() : null, m.get(mk), where + ", map key " + mk);
                        if (live && renewOnRead) {
                            maps.get(key).put(mk, new Unit<>(u.value(), now + TTL));
                        } else if (u != null && !live) {
                            maps.get(key).remove(mk);
                        }
                    }
                    case 5 -> { // map entries
                        Map<String, Unit<Integer>> units = maps.getOrDefault(key, Map.of());
                        Map<String, Integer> live = new HashMap<>();
                        units.forEach((k, u) -> {
                            if (now < u.expiresAt()) {
                                live.put(k, u.value());
                            }
                        });
                        assertEquals(live, entries(m), where);
                        Map<String, Unit<Integer>> next = new HashMap<>();
                        units.forEach((k, u) -> {
                            if (now < u.expiresAt()) {
                                next.put(k, renewOnRead ? new Unit<>(u.value(), now + TTL) : u);
                            }
                        });
                        maps.put(key, next);
                    }
                    case 6 -> {
                        String mk = "k" + random.nextInt(5);
                        int x = random.nextInt(100);
                        m.put(mk, x);
                        maps.computeIfAbsent(key, k -> new HashMap<>()).put(mk, new Unit<>(x, now + TTL));
                    }
                    default -> {
                        String mk = "k" + random.nextInt(5);
                        m.remove(mk);
                        maps.getOrDefault(key, new HashMap<>()).remove(mk);
                    }
                }
            }
        }
    }

    static <K, V> Map<K, V> entries(MapState<K, V> s) {
        Map<K, V> out = new HashMap<>();
        s.entries().forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }
}
