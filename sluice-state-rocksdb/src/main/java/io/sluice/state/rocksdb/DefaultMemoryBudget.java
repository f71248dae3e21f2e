package io.sluice.state.rocksdb;

import java.lang.management.ManagementFactory;

/**
 * The memory budget a RocksDB backend gets when the job does not set {@code rocksdb.memory}: derived from the worker.
 *
 * <p>The rule: half of the memory the JVM heap cannot take ({@code physical − max heap}) goes to RocksDB, shared by as
 * many backends as the machine has processors (the likely number of tasks running at once, one keyed operator each),
 * clamped to [{@value #MIN} bytes (16 MiB), {@value #MAX} bytes (512 MiB)]. The other half of the off-heap memory is
 * left to the JVM's own native memory (metaspace, thread stacks, direct buffers), the operating system's page cache
 * (which RocksDB reads its files through) and other processes. The floor keeps a tiny machine working (RocksDB would
 * only flush and evict constantly below it); the ceiling keeps one backend from claiming a large machine's memory when
 * more backends than processors run. "Physical" is what {@link com.sun.management.OperatingSystemMXBean} reports,
 * which honours container limits. Stateless.
 */
final class DefaultMemoryBudget {
    static final long MIN = 16L << 20;
    static final long MAX = 512L << 20;
    /** When the physical memory cannot be read (a JVM without com.sun.management). */
    static final long FALLBACK = 64L << 20;

    private DefaultMemoryBudget() {}

    /** The budget of the rule for this JVM on this machine. */
    static long ofThisMachine() {
        long physical = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getTotalMemorySize() : -1;
        if (physical <= 0) {
            return FALLBACK;
        }
        return derive(physical, Runtime.getRuntime().maxMemory(), Runtime.getRuntime().availableProcessors());
    }

    /** The rule itself: {@code clamp((physical − maxHeap) / 2 / processors, MIN, MAX)}. */
    static long derive(long physicalBytes, long maxHeapBytes, int processors) {
        long offHeap = Math.max(0, physicalBytes - maxHeapBytes);
        long share = offHeap / 2 / Math.max(1, processors);
        return Math.clamp(share, MIN, MAX);
    }
}
