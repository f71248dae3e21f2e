package io.sluice.state.rocksdb;

import io.sluice.runtime.state.SavepointPortabilityContract;
import io.sluice.runtime.state.heap.HeapBackendFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * Savepoints between the heap backend and RocksDB, the latter with full and with incremental checkpoints (a savepoint
 * of either is canonical), through the backends' factories as a job selects them (the contract: sluice-runtime's
 * test-jar).
 */
class HeapRocksDbSavepointPortabilityTest extends SavepointPortabilityContract {
    @TempDir
    Path tempDir;

    @Override
    protected List<Backend> backends() {
        String local = tempDir.toString();
        return List.of(
                new Backend("heap", new HeapBackendFactory(), Map.of()),
                new Backend("rocksdb (full checkpoints)", new RocksDbBackendFactory(),
                        Map.of("rocksdb.local-dir", local, "rocksdb.incremental", "false", "rocksdb.memory", "16mb")),
                new Backend("rocksdb (incremental checkpoints)", new RocksDbBackendFactory(),
                        Map.of("rocksdb.local-dir", local, "rocksdb.incremental", "true", "rocksdb.memory", "16mb")));
    }
}
