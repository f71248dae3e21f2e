package io.sluice.runtime.hashing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class OpenAddressingTest {

    @Test
    void homeSlotsStayInTheTable() {
        Random random = new Random(11);
        for (int bits = 1; bits <= 30; bits++) {
            int mask = (1 << bits) - 1;
            for (int i = 0; i < 1_000; i++) {
                int slot = OpenAddressing.home(random.nextInt(), mask);
                long longSlot = OpenAddressing.home(random.nextLong(), mask);
                assertTrue(slot >= 0 && slot <= mask, "bits " + bits + ": slot " + slot);
                assertTrue(longSlot >= 0 && longSlot <= mask, "bits " + bits + ": slot " + longSlot);
            }
        }
    }

    /** Sequential ids, times one millisecond apart, and multiples of 1,000 (rounded-up seconds) all spread. */
    @Test
    void regularKeysSpreadOverTheTable() {
        int mask = 2048 - 1;
        assertTrue(maxPerSlot(i -> OpenAddressing.home(i, mask), mask) <= 2);
        assertTrue(maxPerSlot(i -> OpenAddressing.home(1_700_000_000_000L + i, mask), mask) <= 2);
        assertTrue(maxPerSlot(i -> OpenAddressing.home(1_700_000_000_000L + 1_000L * i, mask), mask) <= 2);
        assertTrue(maxPerSlot(i -> OpenAddressing.home(i << 16, mask), mask) <= 2); // high bits only
    }

    private static int maxPerSlot(java.util.function.IntUnaryOperator slotOf, int mask) {
        int[] counts = new int[mask + 1];
        int max = 0;
        for (int i = 0; i < 1024; i++) {
            max = Math.max(max, ++counts[slotOf.applyAsInt(i)]);
        }
        return max;
    }
}
