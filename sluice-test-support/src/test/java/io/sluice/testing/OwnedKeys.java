package io.sluice.testing;

import io.sluice.runtime.state.KeyGroups;
import java.util.ArrayList;
import java.util.List;

/** Integer keys by the subtask that owns them, computed from the key-group formula (the oracle for routing). */
final class OwnedKeys {
    private OwnedKeys() {}

    /** The subtask of {@code parallelism} that owns {@code key}. */
    static int owner(Object key, int parallelism, int maxParallelism) {
        return KeyGroups.subtaskOf(KeyGroups.keyGroupOf(key, maxParallelism), maxParallelism, parallelism);
    }

    /** The first {@code count} non-negative integers owned by {@code subtask}. */
    static List<Integer> of(Subtask subtask, int count) {
        List<Integer> keys = new ArrayList<>();
        for (int k = 0; keys.size() < count; k++) {
            if (owner(k, subtask.parallelism(), subtask.maxParallelism()) == subtask.index()) {
                keys.add(k);
            }
        }
        return keys;
    }
}
