package io.sluice.runtime.state;

import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;
import java.util.HashMap;
import java.util.Map;

/**
 * Keyed state in Java maps on the heap: per state, one map per key group of this subtask's range, so a snapshot
 * or a rescale can take key groups whole.
 */
public final class HeapKeyedStateBackend implements KeyedStateBackend {
    private final int maxParallelism;
    private final int firstKeyGroup;
    private final int endKeyGroup;
    private final Map<String, HeapValueState<?>> states = new HashMap<>();
    private Object currentKey;
    private int currentHash;
    private int currentIndex;
    /** Counts key switches, so states can tell whether a remembered slot still belongs to the current key. */
    private long keyEpoch;

    public HeapKeyedStateBackend(int subtask, int parallelism, int maxParallelism) {
        this.maxParallelism = maxParallelism;
        this.firstKeyGroup = KeyGroups.firstKeyGroup(subtask, maxParallelism, parallelism);
        this.endKeyGroup = KeyGroups.endKeyGroup(subtask, maxParallelism, parallelism);
    }

    @Override
    public void setCurrentKey(Object key) {
        int hash = KeyGroups.mixedHash(key);
        int keyGroup = KeyGroups.keyGroupOfHash(hash, maxParallelism);
        if (keyGroup < firstKeyGroup || keyGroup >= endKeyGroup) {
            throw new IllegalStateException("key " + key + " is in key group " + keyGroup + ", outside this subtask's range ["
                    + firstKeyGroup + ", " + endKeyGroup + "): is the key selector deterministic?");
        }
        currentKey = key;
        currentHash = hash;
        currentIndex = keyGroup - firstKeyGroup;
        keyEpoch++;
    }

    @Override
    public Object currentKey() {
        return currentKey;
    }

    int currentIndex() {
        return currentIndex;
    }

    int currentHash() {
        return currentHash;
    }

    long keyEpoch() {
        return keyEpoch;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> ValueState<T> valueState(ValueStateDescriptor<T> descriptor) {
        HeapValueState<?> state = states.computeIfAbsent(descriptor.name(),
                n -> new HeapValueState<>(this, endKeyGroup - firstKeyGroup, descriptor.defaultValue()));
        return (ValueState<T>) state;
    }
}
