package io.sluice.runtime.state.heap;

import io.sluice.api.types.TypeSerializer;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyedStateBackend;
import io.sluice.runtime.state.KeyedStateBackendFactory;
import io.sluice.runtime.state.StateOwner;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Creates {@link HeapKeyedStateBackend}s for jobs that select {@code heap} (the default), registered through
 * {@link java.util.ServiceLoader} like every backend. It has no options: a {@code heap.} key fails the job.
 */
public final class HeapBackendFactory implements KeyedStateBackendFactory {
    public static final String NAME = "heap";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public KeyedStateBackend create(StateOwner owner, KeyGroupRange range, int maxParallelism, TypeSerializer<?> keySerializer,
            LongSupplier clock, Map<String, String> options) {
        for (String key : options.keySet()) {
            if (key.startsWith(NAME + ".")) {
                throw new IllegalArgumentException("unknown state backend option '" + key + "': the heap state backend has no options");
            }
        }
        return new HeapKeyedStateBackend(owner, range, maxParallelism, keySerializer, clock);
    }
}
