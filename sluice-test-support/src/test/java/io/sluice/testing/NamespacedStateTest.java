package io.sluice.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.state.AggregatingState;
import io.sluice.api.state.ListState;
import io.sluice.api.state.MapState;
import io.sluice.api.state.ReducingState;
import io.sluice.api.state.State;
import io.sluice.api.state.StateDescriptor;
import io.sluice.api.state.ValueState;
import io.sluice.api.types.TypeSerializer;
import io.sluice.api.types.Types;
import io.sluice.runtime.state.InternalKeyedState;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyedStateBackend;
import io.sluice.runtime.state.KeyedStateSnapshot;
import io.sluice.runtime.state.heap.HeapKeyedStateBackend;
import io.sluice.testing.StatsAggregate.Summary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * State scoped to a namespace (a window) besides the key, as window operators use it: isolation between namespaces,
 * merging namespaces (merging windows) for list, reducing, aggregating and map state, and snapshot and restore with a
 * namespace serializer, also at another parallelism and across a copy-on-write snapshot.
 */
class NamespacedStateTest {

    /** A window as namespace: a record, so its hash and equality are by value. */
    record Window(long start, long end) {}

    static final TypeSerializer<Window> WINDOWS = Types.of(Window.class);

    private static HeapKeyedStateBackend backend(KeyGroupRange range) {
        return new HeapKeyedStateBackend(range, 128, Types.INT, () -> 0L);
    }

    private static <S extends State> S namespaced(KeyedStateBackend b, StateDescriptor<S> d) {
        return b.getNamespacedState(d, WINDOWS);
    }

    private static void at(Object state, Window w) {
        ((InternalKeyedState) state).setCurrentNamespace(w);
    }

    @Test
    void namespacesOfOneKeyAreSeparate() {
        HeapKeyedStateBackend b = backend(new KeyGroupRange(0, 128));
        ValueState<Long> v = namespaced(b, KeyedStateOracleTest.VALUE);
        ListState<String> l = namespaced(b, KeyedStateOracleTest.LIST);
        Window w1 = new Window(0, 10);
        Window w2 = new Window(10, 20);
        b.setCurrentKey(1);
        at(v, w1);
        at(l, w1);
        v.update(1L);
        l.add("a");
        at(v, w2);
        at(l, w2);
        assertEquals(-1L, v.value());
        assertEquals(List.of(), l.get());
        v.update(2L);
        l.add("b");
        at(v, new Window(0, 10)); // an equal window, another object
        at(l, new Window(0, 10));
        assertEquals(1L, v.value());
        assertEquals(List.of("a"), l.get());
        l.clear();
        at(l, w2);
        assertEquals(List.of("b"), l.get(), "clearing one namespace leaves the others");
        b.setCurrentKey(2);
        assertEquals(List.of(), l.get(), "and namespaces are per key");
        assertEquals(3, b.entryCount("value") + b.entryCount("list"));
    }

    @Test
    void mergingMovesSourcesIntoTheTargetAndClearsThem() throws Exception {
        HeapKeyedStateBackend b = backend(new KeyGroupRange(0, 128));
        ListState<String> l = namespaced(b, KeyedStateOracleTest.LIST);
        ReducingState<Long> r = namespaced(b, KeyedStateOracleTest.SUM);
        AggregatingState<Long, Summary> a = namespaced(b, KeyedStateOracleTest.STATS);
        MapState<Integer, String> m = namespaced(b, KeyedStateOracleTest.MAP);
        List<Window> windows = List.of(new Window(0, 5), new Window(3, 8), new Window(7, 12), new Window(20, 25));
        for (int key : new int[] {1, 2}) {
            b.setCurrentKey(key);
            for (int i = 0; i < windows.size(); i++) {
                for (Object s : List.of(l, r, a, m)) {
                    at(s, windows.get(i));
                }
                l.add(key + "w" + i);
                r.add(10L * i + key);
                a.add(10L * i + key);
                m.put(i, key + "w" + i);
            }
        }
        Window target = new Window(0, 12);
        List<Window> sources = windows.subList(0, 3);
        b.setCurrentKey(1);
        for (Object s : List.of(l, r, a, m)) {
            ((InternalKeyedState) s).mergeNamespaces(target, sources);
            at(s, target);
        }
        assertEquals(List.of("1w0", "1w1", "1w2"), l.get().stream().sorted().toList());
        assertEquals(0L + 1 + 10 + 1 + 20 + 1, r.get());
        assertEquals(new Summary(3, 33, 21), a.get());
        assertEquals(Map.of(0, "1w0", 1, "1w1", 2, "1w2"), StateTtlTest.entries(m));
        for (Window w : sources) {
            for (Object s : List.of(l, r, a, m)) {
                at(s, w);
            }
            assertEquals(List.of(), l.get());
            assertNull(r.get());
            assertNull(a.get());
            assertTrue(m.isEmpty());
        }
        for (Object s : List.of(l, r, a, m)) {
            at(s, windows.get(3));
        }
        assertEquals(List.of("1w3"), l.get(), "windows not merged stay");
        b.setCurrentKey(2);
        for (Object s : List.of(l, r, a, m)) {
            at(s, windows.get(0));
        }
        assertEquals(List.of("2w0"), l.get(), "another key's windows are untouched");
        assertEquals(2L, r.get());

        // Merging into a target that has content keeps it.
        b.setCurrentKey(1);
        for (Object s : List.of(l, r, a, m)) {
            ((InternalKeyedState) s).mergeNamespaces(target, List.of(windows.get(3)));
            at(s, target);
        }
        assertEquals(List.of("1w0", "1w1", "1w2", "1w3"), l.get().stream().sorted().toList());
        assertEquals(33L + 31, r.get());
        assertEquals(new Summary(4, 64, 31), a.get());
        assertEquals(4, StateTtlTest.entries(m).size());
    }

    @Test
    void valueStateCannotBeMerged() {
        HeapKeyedStateBackend b = backend(new KeyGroupRange(0, 128));
        ValueState<Long> v = namespaced(b, KeyedStateOracleTest.VALUE);
        b.setCurrentKey(1);
        assertThrows(UnsupportedOperationException.class,
                () -> ((InternalKeyedState) v).mergeNamespaces(new Window(0, 1), List.of(new Window(1, 2))));
    }

    @Test
    void aMergeAfterTheSynchronousPartDoesNotReachTheSnapshot() throws Exception {
        HeapKeyedStateBackend b = backend(new KeyGroupRange(0, 128));
        AggregatingState<Long, Summary> a = namespaced(b, KeyedStateOracleTest.STATS);
        ListState<String> l = namespaced(b, KeyedStateOracleTest.LIST);
        b.setCurrentKey(1);
        Window w1 = new Window(0, 1);
        Window w2 = new Window(1, 2);
        for (Window w : List.of(w1, w2)) {
            at(a, w);
            at(l, w);
            a.add(w.start() + 5);
            l.add("x" + w.start());
        }
        KeyedStateBackend.PendingSnapshot pending = b.snapshot();
        ((InternalKeyedState) a).mergeNamespaces(w1, List.of(w2)); // the accumulator of w1 is mutated in place
        ((InternalKeyedState) l).mergeNamespaces(w1, List.of(w2));
        at(a, w1);
        a.add(100L);
        KeyedStateSnapshot snapshot = pending.write();

        HeapKeyedStateBackend restored = backend(new KeyGroupRange(0, 128));
        restored.restore(List.of(snapshot));
        AggregatingState<Long, Summary> ra = namespaced(restored, KeyedStateOracleTest.STATS);
        ListState<String> rl = namespaced(restored, KeyedStateOracleTest.LIST);
        restored.setCurrentKey(1);
        at(ra, w1);
        at(rl, w1);
        assertEquals(new Summary(1, 5, 5), ra.get());
        assertEquals(List.of("x0"), rl.get());
        at(ra, w2);
        at(rl, w2);
        assertEquals(new Summary(1, 6, 6), ra.get());
        assertEquals(List.of("x1"), rl.get());
    }

    /**
     * Random adds, reads, clears and merges of namespaced list, reducing and map state over keys and windows, against
     * a map per (key, window); now and then snapshotted and restored, at the end into another parallelism (two
     * backends of half the key groups each, restored into one of all of them).
     */
    @Test
    void randomNamespacedOperationsMatchAnOracleAcrossSnapshots() throws Exception {
        record Scope(int key, Window window) {}
        for (long seed = 1; seed <= 5; seed++) {
            System.out.println("NamespacedStateTest seed " + seed);
            Random random = new Random(seed);
            Map<Scope, List<String>> lists = new HashMap<>();
            Map<Scope, Long> sums = new HashMap<>();
            Map<Scope, Map<Integer, String>> maps = new HashMap<>();
            List<Window> windows = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                windows.add(new Window(i * 10L, i * 10L + 15));
            }
            // Two subtasks of 128 key groups, each with its own backend; keys are routed to their owner.
            HeapKeyedStateBackend[] backends = {backend(KeyGroupRange.of(0, 2, 128)), backend(KeyGroupRange.of(1, 2, 128))};
            for (int step = 0; step < 20_000; step++) {
                String where = "seed " + seed + ", step " + step;
                int key = random.nextInt(60);
                HeapKeyedStateBackend b = backends[OwnedKeys.owner(key, 2, 128)];
                ListState<String> l = namespaced(b, KeyedStateOracleTest.LIST);
                ReducingState<Long> r = namespaced(b, KeyedStateOracleTest.SUM);
                MapState<Integer, String> m = namespaced(b, KeyedStateOracleTest.MAP);
                Window w = windows.get(random.nextInt(windows.size()));
                Scope scope = new Scope(key, w);
                b.setCurrentKey(key);
                for (Object s : List.of(l, r, m)) {
                    at(s, w);
                }
                switch (random.nextInt(7)) {
                    case 0 -> {
                        String x = "e" + random.nextInt(100);
                        l.add(x);
                        lists.computeIfAbsent(scope, k -> new ArrayList<>()).add(x);
                    }
                    case 1 -> {
                        long x = random.nextInt(100);
                        r.add(x);
                        sums.merge(scope, x, Long::sum);
                    }
                    case 2 -> {
                        int mk = random.nextInt(6);
                        String x = "m" + random.nextInt(100);
                        m.put(mk, x);
                        maps.computeIfAbsent(scope, k -> new HashMap<>()).put(mk, x);
                    }
                    case 3 -> {
                        assertEquals(lists.getOrDefault(scope, List.of()).stream().sorted().toList(),
                                l.get().stream().sorted().toList(), where);
                        assertEquals(sums.get(scope), r.get(), where);
                        assertEquals(maps.getOrDefault(scope, Map.of()), StateTtlTest.entries(m), where);
                    }
                    case 4 -> {
                        l.clear();
                        r.clear();
                        m.clear();
                        lists.remove(scope);
                        sums.remove(scope);
                        maps.remove(scope);
                    }
                    case 5 -> { // merge some windows into w: map entries of later sources win, over the target's too
                        List<Window> sources = new ArrayList<>();
                        for (Window other : windows) {
                            if (other != w && random.nextInt(3) == 0) {
                                sources.add(other);
                            }
                        }
                        for (Object s : List.of(l, r, m)) {
                            ((InternalKeyedState) s).mergeNamespaces(w, sources);
                        }
                        Map<Integer, String> mergedEntries = new HashMap<>();
                        for (Window src : sources) {
                            Scope from = new Scope(key, src);
                            List<String> moved = lists.remove(from);
                            if (moved != null) {
                                lists.computeIfAbsent(scope, k -> new ArrayList<>()).addAll(moved);
                            }
                            Long sum = sums.remove(from);
                            if (sum != null) {
                                sums.merge(scope, sum, Long::sum);
                            }
                            Map<Integer, String> entries = maps.remove(from);
                            if (entries != null) {
                                mergedEntries.putAll(entries);
                            }
                        }
                        if (!mergedEntries.isEmpty()) {
                            maps.computeIfAbsent(scope, k -> new HashMap<>()).putAll(mergedEntries);
                        }
                    }
                    default -> {
                        if (random.nextInt(50) == 0) {
                            for (int i = 0; i < 2; i++) {
                                KeyedStateSnapshot s = backends[i].snapshot().write();
                                backends[i] = backend(KeyGroupRange.of(i, 2, 128));
                                backends[i].restore(List.of(s));
                            }
                        }
                    }
                }
            }
            HeapKeyedStateBackend all = backend(new KeyGroupRange(0, 128));
            all.restore(List.of(backends[0].snapshot().write(), backends[1].snapshot().write()));
            ListState<String> l = namespaced(all, KeyedStateOracleTest.LIST);
            ReducingState<Long> r = namespaced(all, KeyedStateOracleTest.SUM);
            MapState<Integer, String> m = namespaced(all, KeyedStateOracleTest.MAP);
            for (int key = 0; key < 60; key++) {
                all.setCurrentKey(key);
                for (Window w : windows) {
                    Scope scope = new Scope(key, w);
                    for (Object s : List.of(l, r, m)) {
                        at(s, w);
                    }
                    String where = "seed " + seed + ", restored into one subtask, " + scope;
                    assertEquals(lists.getOrDefault(scope, List.of()).stream().sorted().toList(), l.get().stream().sorted().toList(), where);
                    assertEquals(sums.get(scope), r.get(), where);
                    assertEquals(maps.getOrDefault(scope, Map.of()), StateTtlTest.entries(m), where);
                }
            }
        }
    }
}
