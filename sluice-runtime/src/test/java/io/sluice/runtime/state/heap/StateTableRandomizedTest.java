package io.sluice.runtime.state.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.types.FlatCodec;
import io.sluice.api.types.Types;
import io.sluice.runtime.state.KeyGroups;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.LongToIntFunction;
import java.util.function.LongUnaryOperator;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@link StateTable} against a {@link HashMap} (the oracle), over seeded random puts, updates, removals (backward
 * shifts) and growth, for tables of any keys and of {@code Long} keys, with well spread hashes and with hashes that
 * collide on purpose (long probe runs), with {@code Long} keys in sequence, of any value and spaced by 1024
 * (key-order homes), and blocks of keys that all hash to one run (the turn to hashed homes), with values kept as references and kept flat (records of primitives, boxes),
 * and snapshots taken at random moments compared with the oracle as it was then. A failure prints its seed.
 */
class StateTableRandomizedTest {
    /** A flat value of every primitive type: each component goes through its own conversion to and from a long. */
    record Mixed(long a, int b, double c, boolean d, char e, float f, short g, byte h) {
        static Mixed random(Random r) {
            return new Mixed(r.nextLong(), r.nextInt(), Double.longBitsToDouble(r.nextLong()), r.nextBoolean(),
                    (char) r.nextInt(), Float.intBitsToFloat(r.nextInt()), (short) r.nextInt(), (byte) r.nextInt());
        }
    }

    private static final FlatCodec MIXED = FlatCodec.of(Types.of(Mixed.class));

    @Test
    void anyKeysWithSpreadHashes() {
        run(false, key -> KeyGroups.mixedHash(key));
    }

    @Test
    void longKeysWithSpreadHashes() {
        run(true, key -> KeyGroups.mixedHash(key));
    }

    @Test
    void anyKeysWithCollidingHashes() {
        run(false, key -> (int) Math.floorMod(key, 5L));
    }

    @Test
    void longKeysWithCollidingHashes() {
        run(true, key -> (int) Math.floorMod(key, 5L));
    }

    @Test
    void flatRecordsUnderAnyKeys() {
        run(false, MIXED, key -> KeyGroups.mixedHash(key));
    }

    @Test
    void flatRecordsUnderLongKeysWithCollidingHashes() {
        run(true, MIXED, key -> (int) Math.floorMod(key, 5L));
    }

    @Test
    void flatLongsUnderLongKeys() {
        run(true, FlatCodec.of(Types.LONG), key -> KeyGroups.mixedHash(key));
    }

    @Test
    void longKeysInSequenceKeepTheirOrderInSlots() {
        StateTable table = run(true, FlatCodec.of(Types.LONG), key -> KeyGroups.mixedHash(key), i -> 7_000_000 + i);
        assertTrue(table.keyOrderHomes(), "ids in sequence spread over their runs: no probe is long");
    }

    @Test
    void longKeysOfAnyValueKeepTheirOrderInSlots() {
        long salt = 0x5DEECE66DL;
        StateTable table = run(true, null, key -> KeyGroups.mixedHash(key), i -> i * 0x9E3779B97F4A7C15L ^ salt);
        assertTrue(table.keyOrderHomes(), "keys of no order have hashed blocks and random low bits");
    }

    @Test
    void longKeysSpacedByAPowerOfTwoUnderPendingSnapshots() {
        run(true, MIXED, key -> KeyGroups.mixedHash(key), i -> i * 1024);
    }

    @Test
    void longKeysWhoseBlocksShareARunTurnTheTableToHashedHomes() {
        // Blocks of 16 keys whose hashes' top 12 bits are 0: in a table of up to 4096 slots, they all want run 0.
        long[] keys = new long[3_000];
        for (long block = 1, n = 0; n < keys.length; block++) {
            if ((block * 0x9E3779B97F4A7C15L) >>> 52 == 0) {
                keys[(int) n++] = block * StateTable.KEY_ORDER_BLOCK + (block & 15);
            }
        }
        StateTable table = new StateTable(true, FlatCodec.of(Types.LONG));
        StateTable.Snapshot before = null;
        for (int i = 0; i < keys.length; i++) {
            Long key = keys[i];
            if (i == 1_000) {
                before = table.snapshot(); // a pending snapshot keeps what it copied through the rehash
            }
            table.insert(table.find(key, KeyGroups.mixedHash(key)), key, KeyGroups.mixedHash(key), (long) i);
        }
        assertTrue(!table.keyOrderHomes(), "all blocks want run 0: the table hashes keys instead");
        assertTrue(table.longestProbe() < 200, "hashed homes spread them: longest probe " + table.longestProbe());
        Map<Long, Long> indexOf = new HashMap<>();
        for (int i = 0; i < keys.length; i++) {
            Long key = keys[i];
            int slot = table.find(key, KeyGroups.mixedHash(key));
            assertTrue(slot >= 0, "lost " + key);
            assertEquals((long) i, table.valueAt(slot));
            indexOf.put(key, (long) i);
        }
        int captured = 0;
        for (int slot = 0; slot < before.capacity(); slot++) {
            if (before.keyAt(slot) != null) {
                assertTrue(indexOf.get((Long) before.keyAt(slot)) < 1_000, "captured after the snapshot");
                assertEquals(indexOf.get((Long) before.keyAt(slot)), before.valueAt(slot));
                captured++;
            }
        }
        assertEquals(1_000, captured);
        table.release(before);
    }

    @Test
    void aLongKeyedTableNamesAKeyOfAnotherType() {
        StateTable table = new StateTable(true, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> table.find("seven", 7));
        assertTrue(e.getMessage().contains("java.lang.String (seven)"), e.getMessage());
    }

    private static void run(boolean longKeys, LongToIntFunction hashOf) {
        run(longKeys, null, hashOf);
    }

    private static void run(boolean longKeys, FlatCodec flat, LongToIntFunction hashOf) {
        run(longKeys, flat, hashOf, i -> i * 1_000_003L);
    }

    /**
     * Random operations on a new table, checked against the oracle; returns the table.
     *
     * @param keyOf the key of index {@code i}, drawn at random from an interval of a few thousand around 0
     */
    private static StateTable run(boolean longKeys, FlatCodec flat, LongToIntFunction hashOf, LongUnaryOperator keyOf) {
        long seed = System.nanoTime();
        try {
            Random random = new Random(seed);
            Supplier<Object> values = flat == null ? Object::new
                    : flat == MIXED ? () -> Mixed.random(random) : random::nextLong;
            StateTable table = new StateTable(longKeys, flat);
            check(table, flat != null, values, hashOf, keyOf, random);
            return table;
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("seed " + seed + " (long keys: " + longKeys + ", flat: " + flat + "): "
                    + e.getMessage(), e);
        }
    }

    private static void check(StateTable table, boolean flat, Supplier<Object> values, LongToIntFunction hashOf,
            LongUnaryOperator keyOf, Random random) {
        Map<Long, Object> oracle = new HashMap<>();
        int range = 50 + random.nextInt(3_000);
        for (int op = 0; op < 40_000; op++) {
            // a fresh Long each time: the table must compare by value, not identity
            Long key = keyOf.applyAsLong(random.nextInt(range) - range / 2);
            int hash = hashOf.applyAsInt(key);
            int slot = table.find(key, hash);
            Object expected = oracle.get(key);
            assertEquals(expected != null, slot >= 0, "presence of " + key);
            if (slot >= 0) {
                assertValue(flat, expected, table.valueAt(slot), "value of " + key);
                assertEquals(key, table.keyAt(slot));
            }
            switch (random.nextInt(3)) {
                case 0, 1 -> {
                    Object value = values.get();
                    if (slot >= 0) {
                        table.setValueAt(slot, value);
                    } else {
                        table.insert(slot, key, hash, value);
                    }
                    oracle.put(key, value);
                }
                default -> {
                    if (slot >= 0) {
                        table.removeAt(slot);
                        oracle.remove(key);
                    }
                }
            }
            assertEquals(oracle.size(), table.size());
            if (random.nextInt(5_000) == 0) {
                checkSnapshot(table, flat, oracle, hashOf, random);
            }
        }
        for (Map.Entry<Long, Object> e : oracle.entrySet()) {
            int slot = table.find(Long.valueOf(e.getKey().longValue()), hashOf.applyAsInt(e.getKey()));
            assertTrue(slot >= 0, "lost " + e.getKey());
            assertValue(flat, e.getValue(), table.valueAt(slot), "value of " + e.getKey());
        }
        checkSnapshot(table, flat, oracle, hashOf, random);
    }

    /** A snapshot holds the oracle's entries as they were when it was taken, whatever the table does after. */
    private static void checkSnapshot(StateTable table, boolean flat, Map<Long, Object> oracle, LongToIntFunction hashOf,
            Random random) {
        Map<Long, Object> then = new HashMap<>(oracle);
        StateTable.Snapshot snapshot = table.snapshot();
        for (int i = 0; i < 200 && !oracle.isEmpty(); i++) { // changes after the snapshot must not reach it
            Long key = oracle.keySet().iterator().next();
            int slot = table.find(key, hashOf.applyAsInt(key));
            if (slot >= 0 && random.nextBoolean()) {
                table.removeAt(slot);
                oracle.remove(key);
            }
        }
        Map<Long, Object> seen = new HashMap<>();
        for (int slot = 0; slot < snapshot.capacity(); slot++) {
            if (snapshot.keyAt(slot) != null) {
                seen.put((Long) snapshot.keyAt(slot), snapshot.valueAt(slot));
            }
        }
        assertEquals(then.keySet(), seen.keySet(), "keys in the snapshot");
        for (Map.Entry<Long, Object> e : then.entrySet()) {
            assertValue(flat, e.getValue(), seen.get(e.getKey()), "snapshot's value of " + e.getKey());
        }
        table.release(snapshot);
    }

    /** References must be the very object stored; flat values equal ones, down to a double's or float's NaN bits. */
    private static void assertValue(boolean flat, Object expected, Object actual, String what) {
        if (!flat) {
            assertSame(expected, actual, what);
        } else if (expected instanceof Mixed m && actual instanceof Mixed a) {
            assertEquals(m, a, what);
            assertEquals(Double.doubleToRawLongBits(m.c()), Double.doubleToRawLongBits(a.c()), what + ": c's bits");
            assertEquals(Float.floatToRawIntBits(m.f()), Float.floatToRawIntBits(a.f()), what + ": f's bits");
        } else {
            assertEquals(expected, actual, what);
        }
    }
}
