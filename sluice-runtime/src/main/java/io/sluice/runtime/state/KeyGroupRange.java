package io.sluice.runtime.state;

/**
 * The key groups {@code [first, end)} one subtask owns.
 *
 * @param first first key group, inclusive
 * @param end   last key group, exclusive
 */
public record KeyGroupRange(int first, int end) {
    public KeyGroupRange {
        if (first < 0 || end < first) {
            throw new IllegalArgumentException("bad key group range [" + first + ", " + end + ")");
        }
    }

    /** The range of {@code subtask} among {@code parallelism} over {@code maxParallelism} key groups. */
    public static KeyGroupRange of(int subtask, int parallelism, int maxParallelism) {
        return new KeyGroupRange(KeyGroups.firstKeyGroup(subtask, maxParallelism, parallelism),
                KeyGroups.endKeyGroup(subtask, maxParallelism, parallelism));
    }

    public boolean contains(int keyGroup) {
        return keyGroup >= first && keyGroup < end;
    }

    public int size() {
        return end - first;
    }
}
