package io.sluice.state.rocksdb;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.Types;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyedStateBackend;
import io.sluice.runtime.state.StateOwner;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a worker reports of RocksDB's memory ({@link RocksDbBackendFactory#nativeMemory()}, read from any thread): the
 * block cache holds at least an open backend's usage, and its memtables count from its first checkpoint on, until it
 * is closed.
 */
class RocksDbNativeMemoryTest {
    @TempDir
    Path tmp;

    @Test
    void blockCacheAndMemtablesOfOpenBackendsAreReported() throws Exception {
        RocksDbBackendFactory factory = new RocksDbBackendFactory();
        long memtablesBefore = factory.nativeMemory().get("memtables");
        RocksDbKeyedStateBackend backend = new RocksDbKeyedStateBackend(new StateOwner("count", "count", 0, 1),
                new KeyGroupRange(0, 128), 128, Types.INT, () -> 0L, tmp, RocksDbOptions.fromMap(Map.of()));
        try {
            ValueState<Long> state = backend.getState(new ValueStateDescriptor<>("v", Types.LONG));
            for (int key = 0; key < 5_000; key++) {
                backend.setCurrentKey(key);
                state.update((long) key);
            }
            KeyedStateBackend.PendingSnapshot snapshot = backend.snapshot();
            snapshot.release();
            Map<String, Long> memory = factory.nativeMemory();
            assertTrue(memory.get("blockCache") >= backend.memoryUsage().blockCache(), memory.toString());
            assertTrue(memory.get("blockCache") > 0, memory.toString());
            assertTrue(memory.get("memtables") > memtablesBefore, "the memtables of 5,000 keys count: " + memory);
        } finally {
            backend.close();
        }
        assertTrue(factory.nativeMemory().get("memtables") <= memtablesBefore, "a closed backend counts no more");
    }
}
