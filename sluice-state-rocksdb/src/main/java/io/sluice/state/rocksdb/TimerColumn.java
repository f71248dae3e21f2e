package io.sluice.state.rocksdb;

import org.rocksdb.ColumnFamilyHandle;

/**
 * The column family holding one timer service's timers, both time domains:
 * {@code [key group: 2][domain: 1][time: 8, sign bit flipped, big-endian][serialized key][serialized namespace]}
 * with empty values. The key-group prefix keeps a key-group range contiguous (restore by range, {@code deleteRange}),
 * and within a key group and domain the keys sort by time, so the earliest timer is the first key of its prefix.
 */
final class TimerColumn {
    static final String PREFIX = "timers:";

    final String service;
    final ColumnFamilyHandle handle;
    final boolean namespaced;

    TimerColumn(String service, ColumnFamilyHandle handle, boolean namespaced) {
        this.service = service;
        this.handle = handle;
        this.namespaced = namespaced;
    }

    /** {@code [key group][domain]}: the prefix of a key group's timers of one domain. */
    static byte[] prefix(int keyGroup, byte domain) {
        return new byte[] {(byte) (keyGroup >>> 8), (byte) keyGroup, domain};
    }

    /** The time of a timer key, decoded. */
    static long time(byte[] key) {
        return Bytes.getLong(key, 3) ^ Long.MIN_VALUE;
    }

    /** Writes the time so that unsigned byte order is numeric order. */
    static void putTime(byte[] key, long time) {
        Bytes.putLong(key, 3, time ^ Long.MIN_VALUE);
    }
}
