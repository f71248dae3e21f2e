package io.sluice.state.rocksdb;

import io.sluice.api.types.TypeSerializer;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyedStateBackend;
import io.sluice.runtime.timer.TimerQueue;
import io.sluice.runtime.timer.TimerQueueContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RocksTimerQueue} against the timer queue contract (sluice-runtime's test-jar), snapshotted and restored with
 * its backend's full snapshots.
 */
class RocksTimerQueueContractTest extends TimerQueueContractTest {
    @TempDir
    Path tempDir;

    @Override
    protected KeyedStateBackend createBackend(KeyGroupRange range, int maxParallelism, TypeSerializer<?> keySerializer)
            throws Exception {
        return new RocksDbKeyedStateBackend(range, maxParallelism, keySerializer, () -> 0L,
                tempDir, RocksDbOptions.defaults().withIncremental(false));
    }

    @Override
    protected Class<? extends TimerQueue> queueClass() {
        return RocksTimerQueue.class;
    }
}
