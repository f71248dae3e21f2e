package io.sluice.state.rocksdb;

import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * Keeps one backend's share of the worker's memtables gauge current ({@link SharedMemory.Lease#memtables}): RocksDB's
 * size of the backend's memtables, read at each snapshot and every {@link #EVERY_KEYS} key switches, so that the gauge
 * follows the state as records flow without a native call per record. Task thread only.
 */
final class MemtableGauge {
    /**
     * Key switches between two readings: often enough to follow the state (at 10^6 key switches a second, about 15
     * readings), rarely enough that the one property read (a native call of about a microsecond) costs nothing per
     * record.
     */
    static final int EVERY_KEYS = 1 << 16;

    private final SharedMemory.Lease lease;
    private int keysSinceReport;

    MemtableGauge(SharedMemory.Lease lease) {
        this.lease = lease;
    }

    /** The backend of {@code db} switched keys: every {@link #EVERY_KEYS}-th switch reports. */
    void onKeySwitch(RocksDB db) {
        if (++keysSinceReport >= EVERY_KEYS) {
            report(db);
        }
    }

    /** Reads the memtables' size of {@code db} now and tells the budget. */
    void report(RocksDB db) {
        keysSinceReport = 0;
        try {
            lease.memtables(db.getAggregatedLongProperty("rocksdb.cur-size-all-mem-tables"));
        } catch (RocksDBException e) {
            // a gauge is no reason to fail a snapshot or a record: the figure stays the previous one
        }
    }
}
