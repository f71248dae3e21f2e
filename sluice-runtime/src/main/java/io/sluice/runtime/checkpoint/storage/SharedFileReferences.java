package io.sluice.runtime.checkpoint.storage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How many retained checkpoints name each shared file. Rebuilt from the retained checkpoints' metadata when a
 * {@link CompletedCheckpointStore} opens, so it needs no file of its own and survives a crash. Not thread-safe: the
 * store guards it.
 */
final class SharedFileReferences {
    private final Map<String, Integer> counts = new HashMap<>();

    /** Counts the shared files {@code checkpoint} names. */
    void add(CheckpointMetadata checkpoint) {
        for (StateFileHandle f : checkpoint.files(StateFileHandle.Scope.SHARED)) {
            counts.merge(f.name(), 1, Integer::sum);
        }
    }

    /** Uncounts the shared files {@code checkpoint} names; returns those no retained checkpoint names any more. */
    List<String> remove(CheckpointMetadata checkpoint) {
        List<String> unreferenced = new ArrayList<>();
        for (StateFileHandle f : checkpoint.files(StateFileHandle.Scope.SHARED)) {
            Integer count = counts.get(f.name());
            if (count == null) {
                throw new IllegalStateException("Checkpoint " + checkpoint.checkpointId() + " names shared file "
                        + f.name() + ", which has no references");
            }
            if (count == 1) {
                counts.remove(f.name());
                unreferenced.add(f.name());
            } else {
                counts.put(f.name(), count - 1);
            }
        }
        return unreferenced;
    }

    int count(String name) {
        return counts.getOrDefault(name, 0);
    }

    Set<String> names() {
        return Set.copyOf(counts.keySet());
    }
}
