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
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@link StateTable} against a {@link HashMap} (the oracle), over seeded random puts, updates, removals (backward
 * shifts) and growth, for tables of any keys and of {@code Long} keys, with well spread hashes and with hashes that
 * collide on purpose (long probe runs), with values kept as references and kept flat (records of primitives, boxes),
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
    void aLongKeyedTableNamesAKeyOfAnotherType() {
        StateTable table = new StateTable(true, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> table.find("seven", 7));
        assertTrue(e.getMessage().contains("java.lang.String (seven)"), e.getMessage());
    }

    private static void run(boolean longKeys, LongToIntFunction hashOf) {
        run(longKeys, null, hashOf);
    }

    private static void run(boolean longKeys, FlatCodec flat, LongToIntFunction hashOf) {
        long seed = System.nanoTime();
        try {
            Random random = new Random(seed);
            Supplier<Object> values = flat == null ? Object::new
                    : flat == MIXED ? () -> Mixed.random(random) : random::nextLong;
            check(new StateTable(longKeys, flat), flat != null, values, hashOf, random);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("seed " + seed + " (long keys: " + longKeys + ", flat: " + flat + "): "
                    + e.getMessage(), e);
        }
    }

    private static void check(StateTable table, boolean flat, Supplier<Object> values, LongToIntFunction hashOf,
            Random random) {
        Map<Long, Object> oracle = new HashMap<>();
        int range = 50 + random.nextInt(3_000);
        for (int op = 0; op < 40_000; op++) {
            // a fresh Long each time: the table must compare by value, not identity
            Long key = Long.valueOf(random.nextInt(range) - range / 2) * 1_000_003L;
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
