package io.sluice.state.rocksdb;

import org.rocksdb.Cache;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * RocksDB's memory figures of one backend, in bytes, summed over all column families.
 *
 * @param blockCache   the block cache's usage, memtable charges included
 * @param memtables    {@code rocksdb.cur-size-all-mem-tables}: active, unflushed and pinned memtables
 * @param tableReaders {@code rocksdb.estimate-table-readers-mem}: open files' readers, outside the cache
 * @param sstFiles     {@code rocksdb.total-sst-files-size}: the state's size on disk
 */
record MemoryUsage(long blockCache, long memtables, long tableReaders, long sstFiles) {

    /** Reads the figures of an open database and its cache (the backend's task thread). */
    static MemoryUsage of(Cache blockCache, RocksDB db) {
        try {
            return new MemoryUsage(blockCache.getUsage(),
                    db.getAggregatedLongProperty("rocksdb.cur-size-all-mem-tables"),
                    db.getAggregatedLongProperty("rocksdb.estimate-table-readers-mem"),
                    db.getAggregatedLongProperty("rocksdb.total-sst-files-size"));
        } catch (RocksDBException e) {
            throw RocksDbKeyedStateBackend.failure(e);
        }
    }

    /** What counts against the memory budget: the cache (memtables charged to it) and the table readers. */
    long budgeted() {
        return blockCache + tableReaders;
    }
}
