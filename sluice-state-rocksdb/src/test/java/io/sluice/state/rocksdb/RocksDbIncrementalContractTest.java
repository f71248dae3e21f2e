package io.sluice.state.rocksdb;

import io.sluice.api.types.TypeSerializer;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyedStateBackend;
import io.sluice.runtime.state.KeyedStateBackendContractTest;
import io.sluice.runtime.state.KeyedStateSnapshot;
import io.sluice.runtime.state.StateOwner;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RocksDB backend with incremental snapshots against the keyed state backend contract: every snapshot is written
 * into a real checkpoint storage (shared SST files) and restored from it.
 */
class RocksDbIncrementalContractTest extends KeyedStateBackendContractTest {
    @TempDir
    Path tempDir;
    private CheckpointedSnapshots checkpoints;

    @BeforeEach
    void openStorage() throws Exception {
        // Every snapshot is its own checkpoint here (a job writes all subtasks into one): retain them all, as
        // rescaling tests restore from several.
        checkpoints = new CheckpointedSnapshots(tempDir.resolve("checkpoints"), 1000);
    }

    @Override
    protected KeyedStateBackend createBackend(StateOwner owner, KeyGroupRange range, int maxParallelism,
            TypeSerializer<?> keySerializer, LongSupplier clock) throws Exception {
        return new RocksDbKeyedStateBackend(owner, range, maxParallelism, keySerializer, clock, tempDir.resolve("local"),
                RocksDbOptions.defaults().withIncremental(true));
    }

    @Override
    protected KeyedStateSnapshot snapshot(KeyedStateBackend backend) throws Exception {
        return checkpoints.checkpoint(backend);
    }

    @Override
    protected KeyedStateSnapshot writeSnapshot(KeyedStateBackend.PendingSnapshot pending) throws Exception {
        return checkpoints.write(null, pending);
    }
}
