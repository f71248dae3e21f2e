package io.sluice.state.rocksdb;

import io.sluice.api.types.TypeSerializer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/** Byte helpers: serialization to arrays, concatenation, big-endian longs, prefixes. */
final class Bytes {
    static final byte[] EMPTY = new byte[0];

    private Bytes() {}

    /** A growable buffer with a {@link DataOutputStream} on it, reused between writes. */
    static final class Out extends ByteArrayOutputStream {
        final DataOutputStream data = new DataOutputStream(this);

        Out(int size) {
            super(size);
        }
    }

    @SuppressWarnings("unchecked")
    static byte[] serialize(TypeSerializer<?> serializer, Object value) {
        Out out = new Out(32);
        try {
            ((TypeSerializer<Object>) serializer).serialize(value, out.data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Serializes {@code value} after {@code headerBytes} zero bytes (room for an expiry time). */
    @SuppressWarnings("unchecked")
    static byte[] serializeAfter(int headerBytes, TypeSerializer<?> serializer, Object value) {
        Out out = new Out(32);
        try {
            for (int i = 0; i < headerBytes; i++) {
                out.write(0);
            }
            ((TypeSerializer<Object>) serializer).serialize(value, out.data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @SuppressWarnings("unchecked")
    static <T> T deserialize(TypeSerializer<?> serializer, byte[] bytes, int offset, int length) {
        try {
            return (T) ((TypeSerializer<Object>) serializer).deserialize(
                    new DataInputStream(new ByteArrayInputStream(bytes, offset, length)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    static long getLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    static int getInt(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    /** The key group of a RocksDB key: its first two bytes, big-endian. */
    static int keyGroupOf(byte[] rocksKey) {
        return ((rocksKey[0] & 0xFF) << 8) | (rocksKey[1] & 0xFF);
    }
}
