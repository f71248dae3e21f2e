package io.sluice.state.rocksdb;

import io.sluice.api.types.SerializerIdentity;
import io.sluice.runtime.state.snapshot.TimersHeader;
import java.util.List;
import org.rocksdb.ColumnFamilyHandle;

/**
 * The column family holding one timer service's timers, both time domains:
 * {@code [key group: 2][domain: 1][time: 8, sign bit flipped, big-endian][serialized key][serialized namespace]}
 * with empty values. The key-group prefix keeps a key-group range contiguous (restore by range, {@code deleteRange}),
 * and within a key group and domain the keys sort by time, so the earliest timer is the first key of its prefix.
 */
final class TimerColumn {
    static final String PREFIX = "timers:";
    /** The bytes before a timer's serialized key and namespace. */
    static final int KEY_OFFSET = 11;

    final String service;
    final ColumnFamilyHandle handle;
    final boolean namespaced;
    /** The key's and namespace's serializers; empty when not known (as {@link StateColumn#serializers}). */
    List<SerializerIdentity> serializers;

    TimerColumn(String service, ColumnFamilyHandle handle, boolean namespaced, List<SerializerIdentity> serializers) {
        this.service = service;
        this.handle = handle;
        this.namespaced = namespaced;
        this.serializers = List.copyOf(serializers);
    }

    /** The column as the canonical format names a timer service. */
    TimersHeader header() {
        return new TimersHeader(service, namespaced, serializers);
    }

    /** The column as a snapshot's description records it. */
    FilesMeta.Timers meta() {
        return new FilesMeta.Timers(service, namespaced, serializers);
    }

    /** {@code [key group][domain]}: the prefix of a key group's timers of one domain. */
    static byte[] prefix(int keyGroup, byte domain) {
        return new byte[] {(byte) (keyGroup >>> 8), (byte) keyGroup, domain};
    }

    /** The RocksDB key of a timer: {@code keyAndNamespace} is its serialized key and namespace. */
    static byte[] key(int keyGroup, byte domain, long time, byte[] keyAndNamespace) {
        byte[] key = new byte[KEY_OFFSET + keyAndNamespace.length];
        key[0] = (byte) (keyGroup >>> 8);
        key[1] = (byte) keyGroup;
        key[2] = domain;
        putTime(key, time);
        System.arraycopy(keyAndNamespace, 0, key, KEY_OFFSET, keyAndNamespace.length);
        return key;
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
