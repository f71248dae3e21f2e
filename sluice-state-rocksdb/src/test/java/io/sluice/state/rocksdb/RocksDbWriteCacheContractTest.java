package io.sluice.state.rocksdb;

import io.sluice.api.types.TypeSerializer;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyedStateBackend;
import io.sluice.runtime.state.KeyedStateBackendContractTest;
import io.sluice.runtime.state.StateOwner;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keyed state backend contract with the write-back cache at its extremes: so small (2 KiB, about a dozen entries)
 * that nearly every access evicts and writes back, and switched off. The other contract runs use the default size,
 * where the test data stays cached until a snapshot flushes it.
 */
class RocksDbWriteCacheContractTest {
    /** The contract against a backend with {@link #options()}. */
    abstract static class WithOptions extends KeyedStateBackendContractTest {
        @TempDir
        Path tempDir;

        abstract RocksDbOptions options();

        @Override
        protected KeyedStateBackend createBackend(StateOwner owner, KeyGroupRange range, int maxParallelism,
                TypeSerializer<?> keySerializer, LongSupplier clock) throws Exception {
            return new RocksDbKeyedStateBackend(owner, range, maxParallelism, keySerializer, clock, tempDir, options());
        }
    }

    @Nested
    class TinyCacheIncremental extends WithOptions {
        @Override
        RocksDbOptions options() {
            return RocksDbOptions.defaults().withWriteCache(2048);
        }
    }

    @Nested
    class NoCacheFull extends WithOptions {
        @Override
        RocksDbOptions options() {
            return RocksDbOptions.defaults().withWriteCache(0).withIncremental(false);
        }
    }
}
