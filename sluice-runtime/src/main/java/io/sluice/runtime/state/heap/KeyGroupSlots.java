package io.sluice.runtime.state.heap;

import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyGroups;

/**
 * The taken slots of a captured stripe of a whole key-group range ({@link RegisteredState#stripes}), sorted by the
 * key group of their keys, so that a snapshot still writes one section per key group. Built by the snapshot's writer,
 * off the task thread: one pass to count each key group's entries, one to place them (a counting sort). Immutable
 * once built.
 */
final class KeyGroupSlots {
    /** Slots, key group by key group. */
    private final int[] slots;
    /**
     * The slots of the key group at index {@code i} of the range are {@code slots[starts[i]]} to
     * {@code slots[starts[i + 1] - 1]}.
     */
    private final int[] starts;

    private KeyGroupSlots(int[] slots, int[] starts) {
        this.slots = slots;
        this.starts = starts;
    }

    /**
     * Sorts the taken slots of {@code captured} by key group.
     *
     * @throws IllegalStateException if a key is outside {@code range} (the backend checks every key it is given, so this
     *                               means a broken table)
     */
    static KeyGroupSlots of(StateTable.Snapshot captured, KeyGroupRange range, int maxParallelism) {
        int capacity = captured.capacity();
        int[] keyGroupIndex = new int[capacity];
        int[] starts = new int[range.size() + 1];
        int taken = 0;
        for (int slot = 0; slot < capacity; slot++) {
            Object key = captured.keyAt(slot);
            if (key == null) {
                keyGroupIndex[slot] = -1;
                continue;
            }
            int keyGroup = KeyGroups.keyGroupOf(key, maxParallelism);
            if (!range.contains(keyGroup)) {
                throw new IllegalStateException("key " + key + " of a captured state is in key group " + keyGroup
                        + ", outside the backend's range [" + range.first() + ", " + range.end() + ")");
            }
            keyGroupIndex[slot] = keyGroup - range.first();
            starts[keyGroup - range.first() + 1]++;
            taken++;
        }
        for (int i = 0; i < range.size(); i++) {
            starts[i + 1] += starts[i];
        }
        int[] slots = new int[taken];
        int[] next = java.util.Arrays.copyOf(starts, range.size());
        for (int slot = 0; slot < capacity; slot++) {
            if (keyGroupIndex[slot] >= 0) {
                slots[next[keyGroupIndex[slot]]++] = slot;
            }
        }
        return new KeyGroupSlots(slots, starts);
    }

    /** All slots, key group by key group; read only. */
    int[] slots() {
        return slots;
    }

    /** Where the slots of the key group at {@code index} in the range start in {@link #slots()}. */
    int from(int index) {
        return starts[index];
    }

    /** One past where they end. */
    int to(int index) {
        return starts[index + 1];
    }
}
