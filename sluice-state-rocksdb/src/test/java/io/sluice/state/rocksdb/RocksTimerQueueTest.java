package io.sluice.state.rocksdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.types.Types;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyedStateSnapshot;
import io.sluice.runtime.timer.TimerQueue;
import io.sluice.runtime.timer.TimerQueues;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Timers stored in RocksDB against a plain set of timers: order, de-duplication, removal, counts, restore. */
class RocksTimerQueueTest {
    private static final int MAX_PARALLELISM = 16;

    @TempDir
    Path tmp;

    private RocksDbKeyedStateBackend backend(KeyGroupRange range) throws Exception {
        return new RocksDbKeyedStateBackend(range, MAX_PARALLELISM, Types.STRING, () -> 0L, tmp,
                RocksDbOptions.defaults().withIncremental(false));
    }

    @Test
    void randomOperationsMatchAnOracleAcrossRestores() throws Exception {
        randomOperations(1, 3, 40, 3, 200, 3000);
    }

    /** Few keys, many timers each: key groups hold far more timers than one read takes ahead ({@link TimerRun}). */
    @Test
    void randomOperationsOnLongRunsPerKeyGroupMatchAnOracle() throws Exception {
        randomOperations(11, 12, 3, 60, 1500, 4000);
    }

    private void randomOperations(long firstSeed, long lastSeed, int keys, int namespaces, int timeSpread, int steps)
            throws Exception {
        for (long seed = firstSeed; seed <= lastSeed; seed++) {
            Random random = new Random(seed);
            Set<TimerQueue.Timer> oracle = new HashSet<>();
            RocksDbKeyedStateBackend b = backend(new KeyGroupRange(0, MAX_PARALLELISM));
            TimerQueue queue = b.timerQueues("t", Types.INT).eventTime();
            long watermark = 0;
            for (int step = 0; step < steps; step++) {
                int op = random.nextInt(100);
                TimerQueue.Timer t = new TimerQueue.Timer(watermark + random.nextInt(timeSpread) - 20,
                        "k" + random.nextInt(keys), random.nextInt(namespaces));
                String where = "seed " + seed + " step " + step;
                if (op < 45) {
                    assertEquals(oracle.add(t), queue.add(t), where + ": add " + t);
                } else if (op < 60) {
                    queue.put(t); // blind write
                    oracle.add(t);
                } else if (op < 80) {
                    if (op < 70 && !oracle.isEmpty()) { // one that is there (a random one rarely is)
                        t = oracle.stream().sorted(Comparator.comparingLong(TimerQueue.Timer::time)
                                .thenComparing(x -> (String) x.key()).thenComparing(x -> (Integer) x.namespace()))
                                .skip(random.nextInt(oracle.size())).findFirst().orElseThrow();
                    }
                    queue.remove(t);
                    oracle.remove(t);
                } else if (op < 98) {
                    watermark += random.nextInt(30);
                    TimerQueue.Timer due;
                    while ((due = queue.pollDue(watermark)) != null) {
                        long min = oracle.stream().mapToLong(TimerQueue.Timer::time).min().orElseThrow();
                        assertEquals(min, due.time(), where + ": fired out of order " + due);
                        assertTrue(oracle.remove(due), where + ": fired an unknown timer " + due);
                    }
                    long reached = watermark;
                    assertTrue(oracle.stream().allMatch(x -> x.time() > reached), where + ": a due timer was left");
                } else {
                    KeyedStateSnapshot s = b.snapshot().write();
                    b.close();
                    b = backend(new KeyGroupRange(0, MAX_PARALLELISM));
                    b.restore(List.of(s));
                    queue = b.timerQueues("t", Types.INT).eventTime();
                }
                if (random.nextInt(3) > 0) {
                    continue; // not every step: operations also follow each other with no peek between
                }
                assertEquals(oracle.size(), queue.size(), where + ": size");
                TimerQueue.Timer head = queue.peek();
                if (oracle.isEmpty()) {
                    assertNull(head, where);
                } else {
                    assertNotNull(head, where);
                    assertEquals(oracle.stream().mapToLong(TimerQueue.Timer::time).min().orElseThrow(), head.time(), where + ": peek");
                }
            }
            assertEquals(oracle, new HashSet<>(queue.copy()), "seed " + seed);
            b.close();
        }
    }

    @Test
    void domainsAndServicesAreSeparateAndRestoreTakesOwnedKeyGroups() throws Exception {
        RocksDbKeyedStateBackend all = backend(new KeyGroupRange(0, MAX_PARALLELISM));
        TimerQueues a = all.timerQueues("a", null);
        TimerQueues other = all.timerQueues("b", null);
        Set<TimerQueue.Timer> expected = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            TimerQueue.Timer t = new TimerQueue.Timer(i, "key" + i, io.sluice.runtime.state.VoidNamespace.INSTANCE);
            assertTrue(a.eventTime().add(t));
            assertFalse(a.eventTime().add(t), "duplicate add");
            expected.add(t);
        }
        assertEquals(0, a.processingTime().size());
        assertEquals(0, other.eventTime().size());
        KeyedStateSnapshot snapshot = all.snapshot().write();
        all.close();
        int restored = 0;
        for (int sub = 0; sub < 3; sub++) {
            KeyGroupRange range = KeyGroupRange.of(sub, 3, MAX_PARALLELISM);
            try (RocksDbKeyedStateBackend part = backend(range)) {
                part.restore(List.of(snapshot));
                TimerQueue q = part.timerQueues("a", null).eventTime();
                for (TimerQueue.Timer t : q.copy()) {
                    assertTrue(range.contains(io.sluice.runtime.state.KeyGroups.keyGroupOf(t.key(), MAX_PARALLELISM)));
                    assertTrue(expected.contains(t));
                }
                restored += q.size();
            }
        }
        assertEquals(expected.size(), restored);
    }
}
