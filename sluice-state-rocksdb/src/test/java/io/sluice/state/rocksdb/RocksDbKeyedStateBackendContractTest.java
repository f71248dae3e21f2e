package io.sluice.state.rocksdb;

import io.sluice.api.types.TypeSerializer;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyedStateBackend;
import io.sluice.runtime.state.KeyedStateBackendContractTest;
import io.sluice.runtime.state.StateOwner;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RocksDB backend with full snapshots (key-group blocks) against the keyed state backend contract (sluice-runtime's
 * test-jar). {@link RocksDbIncrementalContractTest} runs the contract with incremental snapshots.
 */
class RocksDbKeyedStateBackendContractTest extends KeyedStateBackendContractTest {
    @TempDir
    Path tempDir;

    @Override
    protected KeyedStateBackend createBackend(StateOwner owner, KeyGroupRange range, int maxParallelism,
            TypeSerializer<?> keySerializer, LongSupplier clock) throws Exception {
        return new RocksDbKeyedStateBackend(owner, range, maxParallelism, keySerializer, clock, tempDir,
                RocksDbOptions.defaults().withIncremental(false));
    }
}
