package io.sluice.state.rocksdb;

/**
 * How one backend's memory budget is shared between block cache and memtables (the split Flink uses for managed
 * memory), with {@code B} the budget and {@code r} the write buffer ratio:
 *
 * <ul>
 *   <li>block cache capacity {@code = B·(3 − r)/3}: data blocks, index and filter blocks (high priority) and the
 *       memtables' charges all live in it;
 *   <li>write buffer manager limit {@code = B·2r/3}: memtables of all column families together, charged to the cache.
 * </ul>
 *
 * Why the cache does not get all of B: its capacity is not strict (an insert into a shard whose blocks are all in use
 * succeeds anyway; the memtables' charges cannot be evicted), so usage can run past it for a while.
 * {@code capacity + limit/2 = B} leaves {@code B·r/3} of the budget outside the cache for that. (Flink chose the split
 * for memtables running past the write buffer limit while flushes catch up; here writes stall at the limit instead,
 * see {@link NativeOptions}, so the headroom is left for the cache.)
 * Each column family's own memtable size ({@link #writeBufferSize}) is half the limit (at least 64 KiB, RocksDB's
 * minimum; at most 64 MiB), so one busy state cannot take the whole limit and two can flush one after the other.
 *
 * @param cacheCapacity    the LRU block cache's capacity in bytes
 * @param writeBufferLimit the write buffer manager's limit in bytes
 * @param writeBufferSize  one column family's memtable size in bytes
 */
record MemorySplit(long cacheCapacity, long writeBufferLimit, long writeBufferSize) {

    static MemorySplit of(RocksDbOptions options) {
        long budget = options.memoryBudgetBytes();
        double r = options.writeBufferRatio();
        long cache = (long) (budget * (3 - r) / 3);
        long limit = (long) (budget * 2 * r / 3);
        return new MemorySplit(cache, limit, Math.clamp(limit / 2, 64L << 10, 64L << 20));
    }
}
