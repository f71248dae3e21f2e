package io.sluice.runtime.state.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.runtime.state.KeyGroups;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.LongToIntFunction;
import org.junit.jupiter.api.Test;

/**
 * {@link StateTable} against a {@link HashMap} (the oracle), over seeded random puts, updates, removals (backward
 * shifts) and growth, for tables of any keys and of {@code Long} keys, with well spread hashes and with hashes that
 * collide on purpose (long probe runs). A failure prints its seed.
 */
class StateTableRandomizedTest {

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
    void aLongKeyedTableNamesAKeyOfAnotherType() {
        StateTable table = new StateTable(true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> table.find("seven", 7));
        assertTrue(e.getMessage().contains("java.lang.String (seven)"), e.getMessage());
    }

    private static void run(boolean longKeys, LongToIntFunction hashOf) {
        long seed = System.nanoTime();
        try {
            check(new StateTable(longKeys), hashOf, new Random(seed));
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("seed " + seed + " (long keys: " + longKeys + "): " + e.getMessage(), e);
        }
    }

    private static void check(StateTable table, LongToIntFunction hashOf, Random random) {
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
                assertSame(expected, table.valueAt(slot), "value of " + key);
                assertEquals(key, table.keyAt(slot));
            }
            switch (random.nextInt(3)) {
                case 0, 1 -> {
                    Object value = new Object();
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
        }
        for (Map.Entry<Long, Object> e : oracle.entrySet()) {
            int slot = table.find(Long.valueOf(e.getKey().longValue()), hashOf.applyAsInt(e.getKey()));
            assertTrue(slot >= 0, "lost " + e.getKey());
            assertSame(e.getValue(), table.valueAt(slot));
        }
    }
}
