package io.sluice.cluster.worker;

import java.util.Locale;

/**
 * A worker's memory limit ({@code --memory}) and the budgets derived from it: the JVM heap (45 %: what heap state and
 * records in flight use), managed memory (30 %: RocksDB's block cache and write buffers, shared out per slot, then
 * per keyed operator in the slot, instead of a fixed amount per subtask), network memory (10 %, at most 1 GiB: the
 * worker's one {@code NetworkBufferPool}, which every remote channel reserves its buffers in), and the rest (15 % or
 * more) for the JVM's own needs (metaspace, thread stacks, code, GC, Netty's and gRPC's own buffers). Immutable.
 *
 * @param totalBytes the limit of the whole process
 * @param slots      the worker's slots
 */
public record WorkerMemory(long totalBytes, int slots) {
    /** The heap's share of the limit. */
    static final double HEAP = 0.45;
    /** Managed memory's share (RocksDB, native). */
    static final double MANAGED = 0.30;
    /** The network's share (the pool of network buffers). */
    static final double NETWORK = 0.10;
    /** The most network memory a worker takes, however large its limit (Flink's bound too). */
    static final long MAX_NETWORK_BYTES = 1L << 30;
    /** Direct memory beside the pool: Netty's and gRPC's own buffers (TLS, reads, control messages). */
    static final long DIRECT_HEADROOM_BYTES = 64L << 20;
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

    /** The worker's network memory: its pool of network buffers holds this many bytes. */
    public long networkBytes() {
        return Math.min(MAX_NETWORK_BYTES, (long) (totalBytes * NETWORK));
    }

    /** The {@code -Xmx} flag of the worker's JVM. */
    public String heapFlag() {
        return "-Xmx" + heapMib() + "m";
    }

    /** The {@code -Xms} flag of the worker's JVM: the same size as {@link #heapFlag}. */
    public String initialHeapFlag() {
        return "-Xms" + heapMib() + "m";
    }

    /** The JVM heap in MiB, at least 64. */
    private long heapMib() {
        return Math.max(64, heapBytes() >> 20);
    }

    /**
     * The flags of the worker's JVM: its heap, whole from the start, and a direct memory limit of the network pool
     * plus 64 MiB for Netty's and gRPC's own buffers. Netty's allocator counts its direct buffers against that limit
     * (it reads it), so a network that held more than the pool allows fails with an error naming direct memory
     * instead of growing the process unseen; the pool's reservations keep the data plane well inside it.
     *
     * <p>Why the initial heap is the maximum (as Flink starts its TaskManagers): G1 sizes its young generation from the
     * heap it has, and left to grow its heap by need it kept a worker of a 4 GiB limit at about 600 MiB, collecting
     * the young generation four times a second under a keyed count; with the whole heap it collects about once a
     * second, for less time in all (docs/benchmarks.md "The worker's heap whole from the start"). The budget already
     * counts the whole heap as used, so the limit holds the same.
     */
    public java.util.List<String> jvmFlags() {
        return java.util.List.of(heapFlag(), initialHeapFlag(),
                "-XX:MaxDirectMemorySize=" + ((networkBytes() + DIRECT_HEADROOM_BYTES) >> 20) + "m");
    }
}
