package io.sluice.runtime.state;

/**
 * Maps keys to key groups and key groups to subtasks. A job has {@code maxParallelism} key groups; subtask
 * {@code i} of {@code p} owns a contiguous range of them. State is kept and snapshotted per key group, so
 * changing the parallelism moves whole ranges, never single keys.
 *
 * <p>The key's {@code hashCode()} is mixed with murmur3's finalizer so that keys with poor hash codes
 * (small integers, similar strings) still spread evenly. Enum keys hash by name, because an enum's own
 * {@code hashCode()} differs from JVM to JVM.
 */
public final class KeyGroups {
    private KeyGroups() {}

    /** The key group of {@code key}, in {@code [0, maxParallelism)}. */
    public static int keyGroupOf(Object key, int maxParallelism) {
        return keyGroupOfHash(mixedHash(key), maxParallelism);
    }

    /** The key's hash as key groups use it: its {@code hashCode()} (an enum's name's) through murmur3's finalizer. */
    public static int mixedHash(Object key) {
        int h = key instanceof Enum<?> e ? e.name().hashCode() : key.hashCode();
        return murmurMix(h);
    }

    /** The key group of a key whose {@link #mixedHash} is {@code mixedHash}. */
    public static int keyGroupOfHash(int mixedHash, int maxParallelism) {
        // A mask where the number of key groups is a power of two (the default 128): the same as floorMod, without a
        // division on every key switch.
        return (maxParallelism & (maxParallelism - 1)) == 0 ? mixedHash & (maxParallelism - 1)
                : Math.floorMod(mixedHash, maxParallelism);
    }

    /** The subtask that owns {@code keyGroup}. */
    public static int subtaskOf(int keyGroup, int maxParallelism, int parallelism) {
        return (int) ((long) keyGroup * parallelism / maxParallelism);
    }

    /** The first key group owned by {@code subtask} (inclusive). */
    public static int firstKeyGroup(int subtask, int maxParallelism, int parallelism) {
        return (int) (((long) subtask * maxParallelism + parallelism - 1) / parallelism);
    }

    /** One past the last key group owned by {@code subtask}. */
    public static int endKeyGroup(int subtask, int maxParallelism, int parallelism) {
        return firstKeyGroup(subtask + 1, maxParallelism, parallelism);
    }

    /** murmur3's 32-bit finalizer: every input bit affects every output bit. */
    static int murmurMix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
