package io.sluice.state.rocksdb;

import io.sluice.api.types.TypeSerializer;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyedStateBackend;
import io.sluice.runtime.state.KeyedStateBackendFactory;
import io.sluice.runtime.state.StateOwner;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Selects the RocksDB backend by the name {@code rocksdb} and configures it from the job's state backend options
 * ({@link RocksDbOptions#fromMap}: memory budget, table and compaction settings, customizer). State files go under
 * {@code rocksdb.local-dir}, else the JVM's temporary directory; each backend deletes its own directory when closed.
 * Stateless and thread-safe.
 */
public final class RocksDbBackendFactory implements KeyedStateBackendFactory {

    @Override
    public String name() {
        return "rocksdb";
    }

    /** @throws IllegalArgumentException for an unknown {@code rocksdb.} option or a bad value, naming it */
    @Override
    public KeyedStateBackend create(StateOwner owner, KeyGroupRange range, int maxParallelism,
            TypeSerializer<?> keySerializer, LongSupplier clock, Map<String, String> options) throws Exception {
        RocksDbOptions rocksDbOptions = RocksDbOptions.fromMap(options);
        return new RocksDbKeyedStateBackend(owner, range, maxParallelism, keySerializer, clock,
                rocksDbOptions.localDirectory().orElse(null), rocksDbOptions);
    }

    /**
     * {@code blockCache}: the block caches' usage of every RocksDB backend in this JVM (memtables charged to them by
     * the write buffer managers included); {@code memtables}: their memtables as each backend measured them at its
     * latest checkpoint. Any thread.
     */
    @Override
    public Map<String, Long> nativeMemory() {
        long[] usage = SharedMemory.usage();
        return Map.of("blockCache", usage[0], "memtables", usage[1]);
    }
}
