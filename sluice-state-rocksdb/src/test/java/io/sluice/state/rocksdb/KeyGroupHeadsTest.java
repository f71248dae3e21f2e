package io.sluice.state.rocksdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The key-group heap against a scan of all groups (the earliest time, ties by any group holding it). */
class KeyGroupHeadsTest {
    @Test
    void firstIsAlwaysAGroupWithTheEarliestTime() {
        for (long seed = 1; seed <= 20; seed++) {
            Random random = new Random(seed);
            int groups = 1 + random.nextInt(130);
            KeyGroupHeads heads = new KeyGroupHeads(groups);
            Long[] oracle = new Long[groups]; // null: empty
            int stale = 0;
            while (heads.hasStale()) {
                heads.takeStale();
                stale++;
            }
            assertEquals(groups, stale, "every group starts stale");
            assertEquals(-1, heads.first());
            for (int step = 0; step < 2_000; step++) {
                int g = random.nextInt(groups);
                if (random.nextInt(4) == 0) {
                    heads.setEmpty(g);
                    oracle[g] = null;
                } else {
                    // few distinct times, so ties are common; Long.MAX_VALUE is a valid time, not "empty"
                    long t = random.nextInt(10) == 0 ? Long.MAX_VALUE : random.nextInt(50);
                    heads.set(g, t);
                    oracle[g] = t;
                }
                int first = heads.first();
                Long min = Arrays.stream(oracle).filter(x -> x != null).min(Long::compare).orElse(null);
                String where = "seed " + seed + " step " + step;
                if (min == null) {
                    assertEquals(-1, first, where);
                } else {
                    assertTrue(first >= 0, where);
                    assertEquals(min, oracle[first], where);
                }
                assertFalse(heads.hasStale(), where);
            }
        }
    }

    @Test
    void aGroupMarkedStaleTwiceIsTakenOnce() {
        KeyGroupHeads heads = new KeyGroupHeads(3);
        while (heads.hasStale()) {
            heads.setEmpty(heads.takeStale());
        }
        heads.markStale(1);
        heads.markStale(1);
        assertEquals(1, heads.takeStale());
        assertFalse(heads.hasStale());
    }
}
