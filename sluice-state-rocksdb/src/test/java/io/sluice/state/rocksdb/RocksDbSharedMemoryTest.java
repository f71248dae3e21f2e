package io.sluice.state.rocksdb;

import static io.sluice.state.rocksdb.RocksDbMemoryBudgetTest.BUDGET;
import static io.sluice.state.rocksdb.RocksDbMemoryBudgetTest.valueOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.Types;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.StateOwner;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backends given one shared memory name share one budget per subtask index (a cluster slot's keyed operators): one
 * block cache and write buffer manager, so two backends of a slot with state far beyond the budget together stay
 * within one budget, not two; another subtask index has a budget of its own; the budget lives while any backend of
 * it does and is freed with the last. Every value read is checked against the values written.
 */
class RocksDbSharedMemoryTest {
    private static final int KEYS = 20_000;

    @TempDir
    Path tmp;

    private RocksDbKeyedStateBackend backend(String operator, int subtask, RocksDbOptions options) throws Exception {
        return new RocksDbKeyedStateBackend(new StateOwner(operator, operator, subtask, 2), new KeyGroupRange(0, 128),
                128, Types.INT, () -> 0L, tmp, options);
    }

    @Test
    void theKeyedOperatorsOfOneSlotShareOneBudget() throws Exception {
        RocksDbOptions options = RocksDbOptions.fromMap(Map.of(RocksDbOptions.MEMORY, Long.toString(BUDGET),
                RocksDbOptions.MEMORY_SHARED_BY, "job-1/attempt-0"));
        int before = SharedMemory.sharedBudgets();
        RocksDbKeyedStateBackend count = backend("count", 0, options);
        RocksDbKeyedStateBackend window = backend("window", 0, options);
        RocksDbKeyedStateBackend otherSlot = backend("count", 1, options);
        try {
            assertEquals(before + 2, SharedMemory.sharedBudgets(), "one budget per subtask index");
            List<RocksDbKeyedStateBackend> slot = List.of(count, window);
            List<ValueState<byte[]>> states = List.of(count.getState(new ValueStateDescriptor<>("v", Types.BYTES)),
                    window.getState(new ValueStateDescriptor<>("v", Types.BYTES)));
            long peak = 0;
            for (int key = 0; key < KEYS; key++) {
                for (int b = 0; b < 2; b++) {
                    slot.get(b).setCurrentKey(key);
                    states.get(b).update(valueOf(b, key, 0));
                }
                if (key % 100 == 0) {
                    peak = Math.max(peak, slotMemory(count, window));
                }
            }
            assertTrue(count.memoryUsage().sstFiles() + window.memoryUsage().sstFiles() > 3 * BUDGET,
                    "the slot's state should be far larger than its budget");
            SplittableRandom random = new SplittableRandom(7);
            for (int i = 0; i < 20_000; i++) {
                int key = random.nextInt(KEYS);
                int b = random.nextInt(2);
                slot.get(b).setCurrentKey(key);
                assertArrayEquals(valueOf(b, key, 0), states.get(b).value(), "backend " + b + ", key " + key);
                if (i % 100 == 0) {
                    peak = Math.max(peak, slotMemory(count, window));
                }
            }
            // One cache: both backends see the same usage, and the slot's memory stays within one budget.
            assertEquals(count.memoryUsage().blockCache(), window.memoryUsage().blockCache(), "one cache for the slot");
            assertTrue(peak <= BUDGET, "the slot's cache and table readers peaked at " + ByteSizes.format(peak)
                    + ", over its one budget of " + ByteSizes.format(BUDGET));
            assertTrue(otherSlot.memoryUsage().blockCache() < count.memoryUsage().blockCache() / 4,
                    "the other slot's cache is its own (nearly empty): " + otherSlot.memoryUsage());

            count.close(); // the budget stays for the slot's other backend
            for (int i = 0; i < 1_000; i++) {
                int key = random.nextInt(KEYS);
                window.setCurrentKey(key);
                assertArrayEquals(valueOf(1, key, 0), states.get(1).value(), "key " + key + " after count closed");
            }
            assertEquals(before + 2, SharedMemory.sharedBudgets());
        } finally {
            count.close();
            window.close();
            otherSlot.close();
        }
        assertEquals(before, SharedMemory.sharedBudgets(), "freed with their last backend");
    }

    /**
     * The memtables figure of the worker's gauge follows the state as records flow, without any checkpoint: after
     * enough key switches it equals what RocksDB says of the backend's memtables at that moment.
     */
    @Test
    void memtablesAreReportedAsRecordsFlowWithoutCheckpoints() throws Exception {
        RocksDbOptions options = RocksDbOptions.fromMap(Map.of(RocksDbOptions.MEMORY, Long.toString(BUDGET),
                RocksDbOptions.MEMORY_SHARED_BY, "job-memtables/attempt-0"));
        long before = SharedMemory.usage()[1];
        RocksDbKeyedStateBackend backend = backend("count", 0, options);
        try {
            ValueState<byte[]> state = backend.getState(new ValueStateDescriptor<>("v", Types.BYTES));
            for (int key = 0; key < MemtableGauge.EVERY_KEYS - 1; key++) {
                backend.setCurrentKey(key % 1_000);
                state.update(valueOf(0, key, 0));
            }
            assertEquals(before, SharedMemory.usage()[1], "not read yet: no checkpoint, too few key switches");
            backend.setCurrentKey(0); // the switch that reads it
            long reported = SharedMemory.usage()[1] - before;
            assertEquals(backend.memoryUsage().memtables(), reported, "as RocksDB counts them now");
            assertTrue(reported > 0, "the updates since the start are in memtables");
        } finally {
            backend.close();
        }
    }

    /** The slot's real native memory: its one cache (memtables charged to it) and each database's table readers. */
    private static long slotMemory(RocksDbKeyedStateBackend a, RocksDbKeyedStateBackend b) {
        MemoryUsage ua = a.memoryUsage();
        return ua.blockCache() + ua.tableReaders() + b.memoryUsage().tableReaders();
    }
}
