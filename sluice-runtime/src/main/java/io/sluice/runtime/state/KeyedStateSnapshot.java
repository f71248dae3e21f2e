package io.sluice.runtime.state;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The keyed state of one operator subtask as bytes, one block per key group, so that a restore at any parallelism
 * takes exactly the key groups it owns. Immutable.
 *
 * @param keyGroups key group → its serialized state and timers
 */
public record KeyedStateSnapshot(Map<Integer, byte[]> keyGroups) {
    public KeyedStateSnapshot {
        keyGroups = Collections.unmodifiableMap(new TreeMap<>(keyGroups));
    }

    public long sizeBytes() {
        long n = 0;
        for (byte[] b : keyGroups.values()) {
            n += b.length;
        }
        return n;
    }
}
