package io.sluice.state.rocksdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.state.MapState;
import io.sluice.api.state.MapStateDescriptor;
import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.Types;
import io.sluice.runtime.state.KeyGroupRange;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * State many times larger than the memory budget stays within it: RocksDB's own memory figures are sampled while
 * value and map state in four column families is written, read back and then both at once. The values are random
 * bytes, so compression cannot shrink the data below the budget, and each is regenerated from (state, key, map key)
 * to check every value read: the test cannot pass by not storing anything.
 */
class RocksDbMemoryBudgetTest {
    static final long BUDGET = 8L << 20;
    static final int VALUE_BYTES = 1024;
    static final int KEYS = 20_000;
    static final int MAP_ENTRIES_PER_KEY = 2;
    static final int SAMPLE_EVERY = 100;

    /**
     * The tolerance of the sum {@code block cache usage + cur-size-all-mem-tables + estimate-table-readers-mem}:
     * budget + 30%. That sum counts the memtables twice (the write buffer manager charges them to the cache, and the
     * property counts them again), and memtables may hold up to the write buffer limit W = B·2r/3 = B/3 (r = 0.5;
     * writes stall beyond it). The cache's capacity is B − W/2 ({@link MemorySplit}), so the sum can reach
     * (B − W/2) + W = B + B/6 ≈ 117% of B with a full cache and full memtables, which the mixed phase produces. The
     * remaining 13% of B (1 MiB here, 16% of the cache's capacity) is for the LRU cache overshooting its capacity:
     * its strict_capacity_limit is false, so an insert into a shard whose blocks are all in use (pinned L0 index and
     * filter blocks, blocks of the read in progress, the memtables' reservations) succeeds and overshoots briefly.
     * Observed: the cache up to 5% over its capacity, the sum up to 119% of B.
     */
    static final double SUM_TOLERANCE = 0.30;

    @TempDir
    Path tmp;

    /** The value of (state, key, map key): random bytes from a seed made of the three. */
    static byte[] valueOf(int state, int key, int mapKey) {
        byte[] value = new byte[VALUE_BYTES];
        new SplittableRandom(((long) state << 48) ^ ((long) mapKey << 32) ^ key).nextBytes(value);
        return value;
    }

    /** Peaks of RocksDB's memory figures in one phase, and the checks against the budget. */
    static final class Peaks {
        final String phase;
        long memtables;
        /** Block cache usage (memtable charges included) + table readers: what RocksDB's memory really is. */
        long accounted;
        /** Block cache usage + memtables + table readers: memtables counted twice. */
        long sum;

        Peaks(String phase) {
            this.phase = phase;
        }

        void sample(RocksDbKeyedStateBackend b) {
            MemoryUsage u = b.memoryUsage();
            memtables = Math.max(memtables, u.memtables());
            accounted = Math.max(accounted, u.blockCache() + u.tableReaders());
            sum = Math.max(sum, u.blockCache() + u.memtables() + u.tableReaders());
        }

        void check() {
            // The real figure needs no tolerance: the cache's capacity leaves W/2 (1.3 MiB) of the budget spare.
            assertTrue(accounted <= BUDGET, phase + ": cache + table readers peaked at " + this);
            assertTrue(sum <= BUDGET * (1 + SUM_TOLERANCE), phase + ": cache + memtables + table readers peaked at " + this);
            assertTrue(memtables > 0, phase + ": no memtables sampled: " + this);
        }

        @Override
        public String toString() {
            return "memtables " + ByteSizes.format(memtables) + ", cache+readers " + ByteSizes.format(accounted)
                    + ", cache+memtables+readers " + ByteSizes.format(sum) + " (budget " + ByteSizes.format(BUDGET) + ")";
        }
    }

    @Test
    void stateManyTimesTheBudgetStaysWithinIt() throws Exception {
        RocksDbOptions options = RocksDbOptions.defaults().withMemoryBudget(BUDGET);
        try (RocksDbKeyedStateBackend b = new RocksDbKeyedStateBackend(new KeyGroupRange(0, 128), 128, Types.INT,
                () -> 0L, tmp, options)) {
            List<ValueState<byte[]>> values = List.of(
                    b.getState(new ValueStateDescriptor<>("v0", Types.BYTES)),
                    b.getState(new ValueStateDescriptor<>("v1", Types.BYTES)));
            List<MapState<Integer, byte[]>> maps = List.of(
                    b.getState(new MapStateDescriptor<>("m0", Types.INT, Types.BYTES)),
                    b.getState(new MapStateDescriptor<>("m1", Types.INT, Types.BYTES)));

            Peaks loading = new Peaks("loading");
            for (int key = 0; key < KEYS; key++) {
                b.setCurrentKey(key);
                for (int s = 0; s < 2; s++) {
                    values.get(s).update(valueOf(s, key, 0));
                    for (int mk = 0; mk < MAP_ENTRIES_PER_KEY; mk++) {
                        maps.get(s).put(mk, valueOf(10 + s, key, mk));
                    }
                }
                if (key % SAMPLE_EVERY == 0) {
                    loading.sample(b);
                }
            }
            long written = (long) KEYS * 2 * (1 + MAP_ENTRIES_PER_KEY) * VALUE_BYTES; // 117 MiB
            long onDisk = b.memoryUsage().sstFiles();
            assertTrue(onDisk > 4 * BUDGET, "the state should be far larger than the budget: " + onDisk + " bytes in files");

            SplittableRandom random = new SplittableRandom(42);
            Peaks reading = new Peaks("reading");
            for (int i = 0; i < 20_000; i++) {
                int key = random.nextInt(KEYS);
                int s = random.nextInt(2);
                b.setCurrentKey(key);
                assertArrayEquals(valueOf(s, key, 0), values.get(s).value(), "value state " + s + ", key " + key);
                int mk = random.nextInt(MAP_ENTRIES_PER_KEY);
                assertArrayEquals(valueOf(10 + s, key, mk), maps.get(s).get(mk), "map state " + s + ", key " + key);
                if (i % SAMPLE_EVERY == 0) {
                    reading.sample(b);
                }
            }

            // Overwrites with the same values (the oracle stays valid) while reading: full cache and full memtables.
            Peaks mixed = new Peaks("reading and writing");
            for (int i = 0; i < 20_000; i++) {
                int key = random.nextInt(KEYS);
                int s = random.nextInt(2);
                b.setCurrentKey(key);
                if (i % 2 == 0) {
                    values.get(s).update(valueOf(s, key, 0));
                    maps.get(s).put(0, valueOf(10 + s, key, 0));
                } else {
                    assertArrayEquals(valueOf(s, key, 0), values.get(s).value(), "value state " + s + ", key " + key);
                    assertArrayEquals(valueOf(10 + s, key, 1), maps.get(s).get(1), "map state " + s + ", key " + key);
                }
                if (i % SAMPLE_EVERY == 0) {
                    mixed.sample(b);
                }
            }
            System.out.println("RocksDbMemoryBudgetTest: wrote " + ByteSizes.format(written) + ", "
                    + ByteSizes.format(onDisk) + " in files; " + loading.phase + ": " + loading + "; " + reading.phase
                    + ": " + reading + "; " + mixed.phase + ": " + mixed);
            loading.check();
            reading.check();
            mixed.check();
        }
    }
}
