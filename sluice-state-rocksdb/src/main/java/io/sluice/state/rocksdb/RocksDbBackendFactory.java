package io.sluice.state.rocksdb;

import io.sluice.api.types.TypeSerializer;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyedStateBackend;
import io.sluice.runtime.state.KeyedStateBackendFactory;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * Selects the RocksDB backend by the name {@code rocksdb}. State files go under the system property
 * {@code sluice.state.dir} (default: the temporary directory); each backend deletes its own directory when closed.
 */
public final class RocksDbBackendFactory implements KeyedStateBackendFactory {

    @Override
    public String name() {
        return "rocksdb";
    }

    @Override
    public KeyedStateBackend create(KeyGroupRange range, int maxParallelism, TypeSerializer<?> keySerializer,
            LongSupplier clock, java.util.Map<String, String> options) throws Exception {
        Path parent = Path.of(System.getProperty("sluice.state.dir", System.getProperty("java.io.tmpdir")));
        return new RocksDbKeyedStateBackend(range, maxParallelism, keySerializer, clock, parent);
    }
}
