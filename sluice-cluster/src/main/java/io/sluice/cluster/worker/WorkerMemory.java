package io.sluice.cluster.worker;

import java.util.Locale;

/**
 * A worker's memory limit ({@code --memory}) and the budgets derived from it: the JVM heap (what heap state and
 * records in flight use), managed memory (RocksDB's block cache and write buffers: shared out per slot, then per
 * keyed operator in the slot, instead of a fixed amount per subtask), and the rest for the JVM's own needs
 * (metaspace, thread stacks, code, network buffers). Immutable.
 *
 * @param totalBytes the limit of the whole process
 * @param slots      the worker's slots
 */
public record WorkerMemory(long totalBytes, int slots) {
    /** The heap's share of the limit. */
    static final double HEAP = 0.45;
    /** Managed memory's share (RocksDB, native). */
    static final double MANAGED = 0.30;
    /** The smallest limit a worker accepts. */
    public static final long MIN_BYTES = 128L << 20;

    public WorkerMemory {
        if (totalBytes < MIN_BYTES) {
            throw new IllegalArgumentException("a worker needs at least " + (MIN_BYTES >> 20) + " MiB of memory, was given "
                    + (totalBytes >> 20) + " MiB");
        }
        if (slots < 1) {
            throw new IllegalArgumentException("a worker needs at least one slot, was given " + slots);
        }
    }

    /** {@code 512m}, {@code 2g}, {@code 1536mb}, {@code 4GiB}, or a number of bytes. */
    public static long parseSize(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace("ib", "").replace("b", "");
        long unit = 1;
        if (t.endsWith("k")) {
            unit = 1L << 10;
        } else if (t.endsWith("m")) {
            unit = 1L << 20;
        } else if (t.endsWith("g")) {
            unit = 1L << 30;
        }
        String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
        try {
            return Math.multiplyExact(Long.parseLong(digits.trim()), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("a size is a number with k, m or g (e.g. 512m, 2g), was '" + text + "'");
        }
    }

    /** The JVM's maximum heap. */
    public long heapBytes() {
        return (long) (totalBytes * HEAP);
    }

    /** Managed memory of the whole worker. */
    public long managedBytes() {
        return (long) (totalBytes * MANAGED);
    }

    /** Managed memory of one slot. */
    public long managedPerSlot() {
        return managedBytes() / slots;
    }

    /** The {@code -Xmx} flag of the worker's JVM. */
    public String heapFlag() {
        return "-Xmx" + Math.max(64, heapBytes() >> 20) + "m";
    }
}
