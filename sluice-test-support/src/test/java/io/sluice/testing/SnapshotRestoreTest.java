package io.sluice.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.sluice.api.functions.AggregateFunction;
import io.sluice.api.state.AggregatingState;
import io.sluice.api.state.AggregatingStateDescriptor;
import io.sluice.api.state.ListState;
import io.sluice.api.state.MapState;
import io.sluice.api.state.ReducingState;
import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.Types;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyedStateBackend;
import io.sluice.runtime.state.KeyedStateSnapshot;
import io.sluice.runtime.state.heap.HeapKeyedStateBackend;
import io.sluice.testing.StatsAggregate.Summary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Snapshot and restore of every keyed state kind, and copy-on-write: state changed after {@code snapshot()} but
 * before {@code write()} (the window in which the task thread continues while the snapshot is serialized) must not
 * leak into the written snapshot, whether the change replaces a value or mutates a list, map or accumulator in place.
 */
class SnapshotRestoreTest {
    static final int KEYS = 300;

    /** Appends to an {@link ArrayList} accumulator in place; the result is the list's content. */
    static final class Collect implements AggregateFunction<String, List<String>, String> {
        @Override
        public List<String> createAccumulator() {
            return new ArrayList<>();
        }

        @Override
        public List<String> add(String value, List<String> acc) {
            acc.add(value);
            return acc;
        }

        @Override
        public String getResult(List<String> acc) {
            return String.join(",", acc);
        }

        @Override
        public List<String> merge(List<String> a, List<String> b) {
            a.addAll(b);
            return a;
        }
    }

    static final AggregatingStateDescriptor<String, List<String>, String> JOINED =
            new AggregatingStateDescriptor<>("joined", new Collect(), Types.list(Types.STRING));

    /** Handles on one backend for every kind. */
    record States(ValueState<Long> value, ListState<String> list, MapState<Integer, String> map, ReducingState<Long> sum,
            AggregatingState<Long, Summary> stats, AggregatingState<String, String> joined) {
        static States of(KeyedStateBackend b) {
            return new States(b.getState(KeyedStateOracleTest.VALUE), b.getState(KeyedStateOracleTest.LIST),
                    b.getState(KeyedStateOracleTest.MAP), b.getState(KeyedStateOracleTest.SUM),
                    b.getState(KeyedStateOracleTest.STATS), b.getState(JOINED));
        }
    }

    private static HeapKeyedStateBackend backend() {
        return new HeapKeyedStateBackend(new KeyGroupRange(0, 128), 128, Types.INT, () -> 0L);
    }

    /** Writes generation {@code g} of every key's state: what a snapshot at that moment must hold. */
    private static void fill(HeapKeyedStateBackend b, States s, int g) {
        for (int k = 0; k < KEYS; k++) {
            b.setCurrentKey(k);
            s.value().update((long) k * 10 + g);
            s.list().add("l" + k + "." + g);
            s.map().put(g, "m" + k + "." + g);
            s.sum().add((long) g + 1);
            s.stats().add((long) g);
            s.joined().add("j" + g);
        }
    }

    /** Checks that every key holds generations {@code 0..g}, as {@link #fill} wrote them. */
    private static void check(KeyedStateBackend b, States s, int g, String where) {
        for (int k = 0; k < KEYS; k++) {
            b.setCurrentKey(k);
            String w = where + ", key " + k;
            List<String> list = new ArrayList<>();
            Map<Integer, String> map = new HashMap<>();
            List<Long> added = new ArrayList<>();
            List<String> joined = new ArrayList<>();
            long sum = 0;
            for (int i = 0; i <= g; i++) {
                list.add("l" + k + "." + i);
                map.put(i, "m" + k + "." + i);
                added.add((long) i);
                joined.add("j" + i);
                sum += i + 1;
            }
            assertEquals((long) k * 10 + g, s.value().value(), w);
            assertEquals(list, s.list().get(), w);
            assertEquals(map, StateTtlTest.entries(s.map()), w);
            assertEquals(sum, s.sum().get(), w);
            assertEquals(Summary.of(added), s.stats().get(), w);
            assertEquals(String.join(",", joined), s.joined().get(), w);
        }
    }

    private static HeapKeyedStateBackend restore(KeyedStateSnapshot... snapshots) throws Exception {
        HeapKeyedStateBackend b = backend();
        b.restore(List.of(snapshots));
        return b;
    }

    @Test
    void everyStateKindIsRestored() throws Exception {
        HeapKeyedStateBackend b = backend();
        States s = States.of(b);
        fill(b, s, 0);
        fill(b, s, 1);
        HeapKeyedStateBackend restored = restore(b.snapshot().write());
        check(restored, States.of(restored), 1, "restored");
        // A restored backend snapshots what it restored, also states it was never asked for (bytes pass through).
        HeapKeyedStateBackend partly = restore(b.snapshot().write());
        partly.getState(KeyedStateOracleTest.VALUE);
        HeapKeyedStateBackend again = restore(partly.snapshot().write());
        check(again, States.of(again), 1, "restored twice, once without claiming most states");
    }

    @Test
    void changesAfterTheSynchronousPartDoNotReachTheWrittenSnapshot() throws Exception {
        HeapKeyedStateBackend b = backend();
        States s = States.of(b);
        fill(b, s, 0);
        KeyedStateBackend.PendingSnapshot pending = b.snapshot();
        fill(b, s, 1); // replaces values, appends to lists, puts into maps, mutates accumulators in place
        for (int k = KEYS; k < KEYS * 3; k++) { // new keys: tables grow and move entries
            b.setCurrentKey(k);
            s.value().update(1L);
            s.list().add("x");
        }
        KeyedStateSnapshot first = pending.write();
        check(b, s, 1, "live state after the snapshot");

        HeapKeyedStateBackend restored = restore(first);
        States r = States.of(restored);
        check(restored, r, 0, "snapshot taken before generation 1");
        assertEquals(KEYS, restored.entryCount("value"), "keys added after the snapshot are not in it");
    }

    @Test
    void clearsAndRemovalsAfterTheSynchronousPartDoNotReachTheWrittenSnapshot() throws Exception {
        HeapKeyedStateBackend b = backend();
        States s = States.of(b);
        fill(b, s, 0);
        KeyedStateBackend.PendingSnapshot pending = b.snapshot();
        for (int k = 0; k < KEYS; k++) {
            b.setCurrentKey(k);
            if (k % 2 == 0) {
                s.value().clear();
                s.list().update(List.of());
                s.map().remove(0);
                s.sum().clear();
                s.stats().clear();
                s.joined().clear();
            } else {
                s.list().update(List.of("replaced"));
                s.map().put(0, "replaced");
            }
        }
        HeapKeyedStateBackend restored = restore(pending.write());
        check(restored, States.of(restored), 0, "snapshot taken before the clears");
        b.setCurrentKey(0);
        assertNull(s.sum().get(), "the live state was cleared");
    }

    @Test
    void overlappingSnapshotsEachHoldTheirOwnMoment() throws Exception {
        HeapKeyedStateBackend b = backend();
        States s = States.of(b);
        fill(b, s, 0);
        KeyedStateBackend.PendingSnapshot p0 = b.snapshot();
        fill(b, s, 1);
        KeyedStateBackend.PendingSnapshot p1 = b.snapshot();
        fill(b, s, 2);
        KeyedStateSnapshot s1 = p1.write(); // written out of order, as asynchronous parts may finish
        fill(b, s, 3);
        KeyedStateSnapshot s0 = p0.write();
        HeapKeyedStateBackend r0 = restore(s0);
        check(r0, States.of(r0), 0, "first snapshot");
        HeapKeyedStateBackend r1 = restore(s1);
        check(r1, States.of(r1), 1, "second snapshot");
        check(b, s, 3, "live");
    }

    @Test
    void aFunctionsStateIsRestoredThroughTheHarness() throws Exception {
        // The oracle here is the snapshot itself: the restored harness must hold exactly what the old one did.
        var h = new KeyedProcessFunctionHarness<>(TimerProbe.Cmd::key, Types.STRING, new TimerProbe());
        for (int i = 0; i < 1_000; i++) {
            h.processElement(TimerProbe.count("k" + (i % 37)));
        }
        var restored = KeyedProcessFunctionHarness.restoredFrom(List.of(h.snapshot()), Subtask.single(),
                TimerProbe.Cmd::key, Types.STRING, new TimerProbe());
        for (int k = 0; k < 37; k++) {
            long expected = 1_000 / 37 + (k < 1_000 % 37 ? 1 : 0);
            assertEquals(expected, restored.state("k" + k, TimerProbe.COUNT).value(), "k" + k);
            assertEquals(expected, h.state("k" + k, TimerProbe.COUNT).value(), "k" + k);
        }
        h.close();
        restored.close();
    }

    /**
     * The common read-modify-write of a mutable value ({@code value().add(x); update(list)}) after the synchronous part
     * must not change the object the pending snapshot holds; with and without TTL.
     */
    @Test
    void aMutableValueChangedInPlaceAfterTheSynchronousPartDoesNotReachTheSnapshot() throws Exception {
        for (boolean ttl : new boolean[] {false, true}) {
            ValueStateDescriptor<List<String>> d = new ValueStateDescriptor<>("names", Types.list(Types.STRING));
            if (ttl) {
                d = d.withTtl(StateTtlTest.ON_READ);
            }
            HeapKeyedStateBackend b = backend();
            ValueState<List<String>> names = b.getState(d);
            b.setCurrentKey(1);
            names.update(new ArrayList<>(List.of("a")));
            KeyedStateBackend.PendingSnapshot pending = b.snapshot();
            List<String> l = names.value();
            l.add("b");
            names.update(l);
            names.value().add("c"); // in place only, without update
            KeyedStateSnapshot snapshot = pending.write();
            assertEquals(List.of("a", "b", "c"), names.value(), "ttl " + ttl + ": the live value");
            HeapKeyedStateBackend restored = restore(snapshot);
            ValueState<List<String>> r = restored.getState(d);
            restored.setCurrentKey(1);
            assertEquals(List.of("a"), r.value(), "ttl " + ttl + ": the snapshot");
        }
    }

    @Test
    void ttlStatesAreCopiedOnWriteToo() throws Exception {
        HeapKeyedStateBackend b = backend();
        ListState<String> l = b.getState(StateTtlTest.list(StateTtlTest.ON_WRITE));
        MapState<String, Integer> m = b.getState(StateTtlTest.map(StateTtlTest.ON_READ));
        AggregatingState<Long, Summary> a = b.getState(StateTtlTest.stats(StateTtlTest.ON_WRITE));
        b.setCurrentKey(1);
        l.add("a");
        m.put("a", 1);
        a.add(1L);
        KeyedStateBackend.PendingSnapshot pending = b.snapshot();
        l.add("b");
        m.put("b", 2);
        m.get("a"); // renews in place (update on read)
        a.add(2L);
        HeapKeyedStateBackend restored = restore(pending.write());
        restored.setCurrentKey(1);
        assertEquals(List.of("a"), restored.getState(StateTtlTest.list(StateTtlTest.ON_WRITE)).get());
        assertEquals(Map.of("a", 1), StateTtlTest.entries(restored.getState(StateTtlTest.map(StateTtlTest.ON_READ))));
        assertEquals(new Summary(1, 1, 1), restored.getState(StateTtlTest.stats(StateTtlTest.ON_WRITE)).get());
    }

    /** A restored accumulator is mutated in place by the next add: it must come back as a mutable object. */
    @Test
    void listAccumulatorsReadBackFromASnapshotCanStillBeAddedTo() throws Exception {
        HeapKeyedStateBackend b = backend();
        AggregatingState<String, String> j = b.getState(JOINED);
        b.setCurrentKey(1);
        j.add("a");
        HeapKeyedStateBackend restored = restore(b.snapshot().write());
        AggregatingState<String, String> r = restored.getState(JOINED);
        restored.setCurrentKey(1);
        r.add("b");
        assertEquals("a,b", r.get());
    }
}
