package io.sluice.runtime.state;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The keyed state of one operator subtask: either bytes, one block per key group, so that a restore at any parallelism
 * takes exactly the key groups it owns (full snapshots); or a backend's own files covering a key-group range
 * (incremental snapshots), which only that backend restores, taking the key groups it owns. Immutable.
 *
 * @param keyGroups key group → its serialized state and timers (empty for a file snapshot)
 * @param files     the backend's files, or {@code null} for a full snapshot
 */
public record KeyedStateSnapshot(Map<Integer, byte[]> keyGroups, KeyedStateFiles files) {
    public KeyedStateSnapshot {
        keyGroups = Collections.unmodifiableMap(new TreeMap<>(keyGroups));
    }

    /** A full snapshot: key-group blocks only. */
    public KeyedStateSnapshot(Map<Integer, byte[]> keyGroups) {
        this(keyGroups, null);
    }

    /** A file snapshot. */
    public static KeyedStateSnapshot ofFiles(KeyedStateFiles files) {
        return new KeyedStateSnapshot(Map.of(), java.util.Objects.requireNonNull(files, "files"));
    }

    public long sizeBytes() {
        long n = files == null ? 0 : files.sizeBytes();
        for (byte[] b : keyGroups.values()) {
            n += b.length;
        }
        return n;
    }
}
