package io.sluice.state.rocksdb;

import io.sluice.api.state.StateDescriptor;
import io.sluice.runtime.state.snapshot.KeyedStateKind;
import java.io.ByteArrayOutputStream;

/**
 * The kinds of keyed state and their value encodings in RocksDB.
 *
 * <ul>
 *   <li>value, reducing, aggregating: one RocksDB entry per key and namespace; the value is
 *       {@code [expiresAt: 8 bytes, with TTL only][serialized value]}.
 *   <li>list: one entry per key and namespace; the value is a concatenation of units
 *       {@code [expiresAt: 8, TTL only][length: 4][serialized element]}. Units delimit themselves, so an append is a
 *       plain concatenation: a RocksDB merge with the column's concatenating merge operator ({@link NativeOptions}),
 *       which never reads the list. Expired units can be dropped without the element serializer.
 *   <li>map: one entry per map entry, the RocksDB key being the state key followed by the serialized map key; the
 *       value as for value state.
 * </ul>
 *
 * Expiry works on bytes alone (no serializer), so snapshots and TTL conversions need no descriptor.
 */
enum StateKind {
    VALUE, LIST, MAP, REDUCING, AGGREGATING;

    static StateKind of(StateDescriptor<?> d) {
        return valueOf(KeyedStateKind.of(d));
    }

    /** This backend's kind of the canonical format's {@code kind} (the same constants). */
    static StateKind valueOf(KeyedStateKind kind) {
        return valueOf(kind.name());
    }

    /**
     * The stored value without its expired parts at {@code now}, or {@code null} when nothing of it is live. Without
     * TTL the value itself.
     */
    byte[] liveAt(byte[] stored, boolean ttl, long now) {
        if (!ttl) {
            return stored;
        }
        if (this != LIST) {
            return now >= Bytes.getLong(stored, 0) ? null : stored;
        }
        ByteArrayOutputStream live = new ByteArrayOutputStream(stored.length);
        boolean dropped = false;
        for (int off = 0; off < stored.length; ) {
            int unitLength = 12 + Bytes.getInt(stored, off + 8);
            if (now >= Bytes.getLong(stored, off)) {
                dropped = true;
            } else {
                live.write(stored, off, unitLength);
            }
            off += unitLength;
        }
        if (live.size() == 0) {
            return null;
        }
        return dropped ? live.toByteArray() : stored;
    }

    /**
     * Converts a stored value when the state's TTL was switched on or off between snapshot and restore: newly
     * TTL-enabled values expire at {@code expiresAt}; values of a state that lost its TTL keep living.
     */
    byte[] convertTtl(byte[] stored, boolean hadTtl, boolean hasTtl, long expiresAt) {
        if (hadTtl == hasTtl) {
            return stored;
        }
        if (this != LIST) {
            return hasTtl ? withExpiry(stored, expiresAt) : java.util.Arrays.copyOfRange(stored, 8, stored.length);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(stored.length + 8);
        int header = hadTtl ? 8 : 0;
        for (int off = 0; off < stored.length; ) {
            int length = Bytes.getInt(stored, off + header);
            if (hasTtl) {
                byte[] e = new byte[8];
                Bytes.putLong(e, 0, expiresAt);
                out.writeBytes(e);
            }
            out.write(stored, off + header, 4 + length);
            off += header + 4 + length;
        }
        return out.toByteArray();
    }

    private static byte[] withExpiry(byte[] value, long expiresAt) {
        byte[] out = new byte[value.length + 8];
        Bytes.putLong(out, 0, expiresAt);
        System.arraycopy(value, 0, out, 8, value.length);
        return out;
    }
}
