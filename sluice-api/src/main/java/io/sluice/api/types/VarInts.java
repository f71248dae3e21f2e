package io.sluice.api.types;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Unsigned LEB128 variable-length ints for lengths, sizes and ordinals: most of them are small, so they take
 * one byte instead of four. Negative values are legal but take five bytes; readers of lengths reject them.
 */
final class VarInts {

    /** The largest number of bytes a varint int takes. */
    static final int MAX_SIZE = 5;

    private VarInts() {}

    static void write(DataOutput out, int value) throws IOException {
        while ((value & ~0x7F) != 0) {
            out.writeByte((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.writeByte(value);
    }

    static int read(DataInput in) throws IOException {
        int result = 0;
        for (int shift = 0; shift < 32; shift += 7) {
            byte b = in.readByte();
            result |= (b & 0x7F) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw new IOException("Malformed varint: more than " + MAX_SIZE + " bytes");
    }

    /** Reads a length or size, which is never negative in well-formed input. */
    static int readLength(DataInput in) throws IOException {
        int length = read(in);
        if (length < 0) {
            throw new IOException("Corrupt input: negative length " + length);
        }
        return length;
    }

    /** The number of bytes {@link #write} uses for {@code value}. */
    static int size(int value) {
        int size = 1;
        while ((value & ~0x7F) != 0) {
            size++;
            value >>>= 7;
        }
        return size;
    }

    /** Writes {@code value} into {@code buffer} at {@code position}; returns the position after it. */
    static int put(byte[] buffer, int position, int value) {
        while ((value & ~0x7F) != 0) {
            buffer[position++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        buffer[position++] = (byte) value;
        return position;
    }
}
