package io.sluice.state.rocksdb;

import java.util.HashMap;
import java.util.Map;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.WriteBufferManager;

/**
 * The native memory budgets of this JVM that several RocksDB backends share: per name, one block cache and one write
 * buffer manager (charging memtables to that cache), created with the first backend that leases it and closed when
 * the last lease is closed, after every database using them (a backend closes its lease last). Thread-safe.
 */
final class SharedMemory {
    private static final Map<String, Budget> BUDGETS = new HashMap<>(); // guarded by the class
    /** Every budget not freed yet, shared or a backend's own (monitoring reads them). Guarded by the class. */
    private static final java.util.Set<Budget> LIVE = new java.util.HashSet<>();

    private SharedMemory() {}

    /** One backend's use of a budget: its cache and write buffer manager until {@link #close()}. */
    interface Lease extends AutoCloseable {
        Cache cache();

        WriteBufferManager writeBuffers();

        /** The budget's size in bytes (the first lease's, for a shared one). */
        long budgetBytes();

        /** The leasing backend's memtables now (its task thread, as records flow and at checkpoints), for {@link #usage()}. */
        void memtables(long bytes);

        @Override
        void close();
    }

    /** A budget of this backend's own, split as {@link MemorySplit} says. */
    static Lease own(RocksDbOptions options) {
        return new Budget(null, options).lease();
    }

    /**
     * A lease of the budget named {@code name}, made from {@code options} when no backend holds it (a later lease with
     * other options gets the existing budget: one name, one budget).
     */
    static Lease lease(String name, RocksDbOptions options) {
        synchronized (SharedMemory.class) {
            Budget budget = BUDGETS.computeIfAbsent(name, n -> new Budget(n, options));
            budget.leases++;
            return budget.lease();
        }
    }

    /**
     * This JVM's RocksDB memory now: {@code [block cache usage of every live budget (memtables charged to it by the
     * write buffer managers included), memtables as each backend last measured them (every few key switches, and at each
     * checkpoint)]}. Any thread:
     * a budget is closed only after it left the live set, under the same lock.
     */
    static synchronized long[] usage() {
        long cache = 0;
        long memtables = 0;
        for (Budget b : LIVE) {
            cache += b.cache.getUsage();
            for (long m : b.memtables.values()) {
                memtables += m;
            }
        }
        return new long[] {cache, memtables};
    }

    /** How many shared budgets are held now (tests). */
    static synchronized int sharedBudgets() {
        return BUDGETS.size();
    }

    private static final class Budget {
        final String name;
        final long bytes;
        final LRUCache cache;
        final WriteBufferManager writeBuffers;
        int leases; // guarded by SharedMemory.class for shared budgets
        /** Each open lease's memtables as its backend last measured them. */
        final Map<Lease, Long> memtables = new java.util.concurrent.ConcurrentHashMap<>();

        Budget(String name, RocksDbOptions options) {
            this.name = name;
            MemorySplit split = MemorySplit.of(options);
            this.bytes = options.memoryBudgetBytes();
            this.cache = new LRUCache(split.cacheCapacity(), NativeOptions.shardBits(split.cacheCapacity()), false,
                    options.highPriorityPoolRatio());
            // allowStall: when flushes fall behind, writes wait instead of memtables outgrowing the limit
            this.writeBuffers = new WriteBufferManager(split.writeBufferLimit(), cache, true);
            synchronized (SharedMemory.class) {
                LIVE.add(this);
            }
        }

        Lease lease() {
            return new Lease() {
                private boolean closed;

                @Override
                public Cache cache() {
                    return cache;
                }

                @Override
                public WriteBufferManager writeBuffers() {
                    return writeBuffers;
                }

                @Override
                public long budgetBytes() {
                    return bytes;
                }

                @Override
                public void memtables(long bytes) {
                    if (!closed) {
                        memtables.put(this, bytes);
                    }
                }

                @Override
                public void close() {
                    if (closed) {
                        return;
                    }
                    closed = true;
                    memtables.remove(this);
                    release();
                }
            };
        }

        private void release() {
            if (name == null) {
                free();
                return;
            }
            synchronized (SharedMemory.class) {
                if (--leases > 0) {
                    return;
                }
                BUDGETS.remove(name);
            }
            free();
        }

        private void free() {
            synchronized (SharedMemory.class) {
                LIVE.remove(this); // before closing: usage() never reads a closed cache
            }
            writeBuffers.close();
            cache.close();
        }
    }
}
