package io.sluice.runtime.state;

import io.sluice.api.types.TypeSerializer;
import io.sluice.runtime.state.heap.HeapKeyedStateBackend;
import java.util.function.LongSupplier;

/** The heap backend against the keyed state backend contract. */
class HeapKeyedStateBackendContractTest extends KeyedStateBackendContractTest {

    @Override
    protected KeyedStateBackend createBackend(StateOwner owner, KeyGroupRange range, int maxParallelism,
            TypeSerializer<?> keySerializer, LongSupplier clock) {
        return new HeapKeyedStateBackend(owner, range, maxParallelism, keySerializer, clock);
    }
}
