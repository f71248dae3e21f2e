package io.sluice.runtime.state;

import io.sluice.runtime.state.heap.HeapKeyedStateBackend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Heap keyed state against a HashMap per state, under random reads, updates and clears. */
class HeapKeyedStateBackendTest {

    @Test
    void randomOperationsOnSeveralStatesMatchAHashMap() {
        for (long seed = 1; seed <= 10; seed++) {
            Random random = new Random(seed);
            int p = 1 + random.nextInt(4);
            int subtask = random.nextInt(p);
            int maxP = List.of(1, 7, 128, 1024).get(random.nextInt(4));
            if (maxP < p) {
                maxP = p;
            }
            HeapKeyedStateBackend backend = new HeapKeyedStateBackend(KeyGroupRange.of(subtask, p, maxP), maxP, Types.INT, () -> 0L);
            ValueState<Long> a = backend.getState(new ValueStateDescriptor<>("a", Types.LONG, -1L));
            ValueState<String> b = backend.getState(new ValueStateDescriptor<>("b", Types.STRING));
            Map<Object, Long> oracleA = new HashMap<>();
            Map<Object, String> oracleB = new HashMap<>();
            // only keys this subtask owns
            List<Integer> keys = new java.util.ArrayList<>();
            for (int k = 0; keys.size() < 2_000; k++) {
                if (KeyGroups.subtaskOf(KeyGroups.keyGroupOf(k, maxP), maxP, p) == subtask) {
                    keys.add(k);
                }
            }
            String where = "seed " + seed + " (subtask " + subtask + "/" + p + ", maxParallelism " + maxP + ")";
            for (int step = 0; step < 50_000; step++) {
                Integer key = keys.get(random.nextInt(random.nextBoolean() ? 50 : keys.size()));
                if (random.nextInt(4) != 0) {
                    backend.setCurrentKey(key);
                }
                Object current = backend.currentKey();
                if (current == null) {
                    continue;
                }
                switch (random.nextInt(8)) {
                    case 0, 1 -> assertEquals(oracleA.getOrDefault(current, -1L), a.value(), where + " step " + step);
                    case 2 -> assertEquals(oracleB.get(current), b.value(), where + " step " + step);
                    case 3, 4 -> {
                        long v = a.value() + 1; // read-then-update, the common pattern
                        a.update(v);
                        oracleA.put(current, v);
                    }
                    case 5 -> {
                        String v = "s" + random.nextInt(100);
                        b.update(v);
                        oracleB.put(current, v);
                    }
                    case 6 -> {
                        a.clear();
                        oracleA.remove(current);
                    }
                    default -> {
                        if (random.nextBoolean()) {
                            b.update(null); // null clears
                        } else {
                            b.clear();
                        }
                        oracleB.remove(current);
                    }
                }
            }
            for (Integer key : keys) {
                backend.setCurrentKey(key);
                assertEquals(oracleA.getOrDefault(key, -1L), a.value(), where + " final, key " + key);
                assertEquals(oracleB.get(key), b.value(), where + " final, key " + key);
            }
        }
    }

    @Test
    void theSameNameGivesTheSameStateAndKeysAreCheckedAgainstTheRange() {
        HeapKeyedStateBackend backend = new HeapKeyedStateBackend(KeyGroupRange.of(1, 2, 128), 128, Types.INT, () -> 0L);
        ValueStateDescriptor<Long> d = new ValueStateDescriptor<>("x", Types.LONG);
        assertSame(backend.getState(d), backend.getState(d));
        int foreign = 0;
        while (KeyGroups.subtaskOf(KeyGroups.keyGroupOf(foreign, 128), 128, 2) == 1) {
            foreign++;
        }
        int keyForError = foreign;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> backend.setCurrentKey(keyForError));
        assertTrue(e.getMessage().contains("key group"), e.getMessage());
    }

    @Test
    void aValueIsCopiedOnlyWhileAPendingSnapshotSharesIt() throws Exception {
        HeapKeyedStateBackend backend = new HeapKeyedStateBackend(KeyGroupRange.of(0, 1, 128), 128, Types.INT, () -> 0L);
        ValueState<List<Long>> s = backend.getState(new ValueStateDescriptor<>("s", Types.list(Types.LONG)));
        ValueState<String> immutable = backend.getState(new ValueStateDescriptor<>("i", Types.STRING));
        backend.setCurrentKey(1);
        s.update(new ArrayList<>(List.of(1L)));
        immutable.update("one");
        List<Long> before = s.value();
        String string = immutable.value();
        assertSame(before, s.value(), "no snapshot: the stored object itself");

        KeyedStateBackend.PendingSnapshot written = backend.snapshot();
        List<Long> copied = s.value();
        assertNotSame(before, copied, "shared with a pending snapshot: a copy");
        assertEquals(before, copied);
        assertSame(copied, s.value(), "copied once");
        assertSame(string, immutable.value(), "an immutable value is never copied");
        written.write();
        assertSame(copied, s.value());

        KeyedStateBackend.PendingSnapshot dropped = backend.snapshot();
        written = backend.snapshot();
        written.write();
        dropped.release();
        assertSame(copied, s.value(), "every snapshot written or released: no copy");
    }

    @Test
    void equalKeysThatAreDifferentObjectsShareState() {
        HeapKeyedStateBackend backend = new HeapKeyedStateBackend(KeyGroupRange.of(0, 1, 128), 128, Types.INT, () -> 0L);
        ValueState<Long> s = backend.getState(new ValueStateDescriptor<>("s", Types.LONG, 0L));
        for (int i = 0; i < 1_000; i++) {
            backend.setCurrentKey(new String("key-" + (i % 10)));
            s.update(s.value() + 1);
        }
        for (int k = 0; k < 10; k++) {
            backend.setCurrentKey("key-" + k);
            assertEquals(100L, s.value(), "key-" + k);
        }
    }
}
