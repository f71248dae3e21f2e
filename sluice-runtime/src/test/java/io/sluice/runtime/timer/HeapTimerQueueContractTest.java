package io.sluice.runtime.timer;

import io.sluice.api.types.TypeSerializer;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyedStateBackend;
import io.sluice.runtime.state.heap.HeapKeyedStateBackend;

/** {@link BucketedTimerQueue}, the heap backend's queue, against the timer queue contract. */
class HeapTimerQueueContractTest extends TimerQueueContractTest {
    @Override
    protected KeyedStateBackend createBackend(KeyGroupRange range, int maxParallelism, TypeSerializer<?> keySerializer) {
        return new HeapKeyedStateBackend(range, maxParallelism, keySerializer, () -> 0L);
    }

    @Override
    protected Class<? extends TimerQueue> queueClass() {
        return BucketedTimerQueue.class;
    }
}
