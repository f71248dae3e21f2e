package io.sluice.api.types;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.nio.charset.StandardCharsets;

/**
 * Strings as a varint byte length followed by the bytes in WTF-8: standard UTF-8 (a supplementary character
 * is one 4-byte sequence), except that an unpaired surrogate, which UTF-8 cannot represent, is written as its
 * own 3-byte sequence. So every Java {@code String} round-trips exactly, of any length (no 64 KB limit as
 * with {@link DataOutput#writeUTF}), and a well-formed string is written as plain UTF-8.
 *
 * <p>Hand-written rather than {@code getBytes(UTF_8)} because the JDK encoder replaces unpaired surrogates
 * with {@code '?'}. Writing the header and the bytes into one array makes a single {@code write} call.
 * Does not accept {@code null}.
 */
enum StringSerializer implements ImmutableTypeSerializer<String> {
    INSTANCE;

    /** Arrays cannot be larger than this on common JVMs. */
    private static final int MAX_BYTES = Integer.MAX_VALUE - 16;

    @Override
    public void serialize(String value, DataOutput out) throws IOException {
        int length = value.length();
        int byteLength = encodedLength(value, length);
        byte[] buffer = new byte[VarInts.size(byteLength) + byteLength];
        int position = VarInts.put(buffer, 0, byteLength);
        encode(value, length, buffer, position);
        out.write(buffer, 0, buffer.length);
    }

    @Override
    public String deserialize(DataInput in) throws IOException {
        int byteLength = VarInts.readLength(in);
        byte[] bytes = new byte[byteLength];
        in.readFully(bytes);
        int ascii = 0;
        while (ascii < byteLength && bytes[ascii] >= 0) {
            ascii++;
        }
        if (ascii == byteLength) {
            // ASCII is a subset of Latin-1: the JDK copies the bytes straight into a compact string.
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
        return decode(bytes, ascii);
    }

    @Override
    public String typeName() {
        return "String";
    }

    @Override
    public SerializerIdentity identity() {
        return SerializerIdentity.of("string");
    }

    @Override
    public String toString() {
        return typeName();
    }

    private static boolean isSurrogatePair(String s, int i, int length) {
        return Character.isHighSurrogate(s.charAt(i)) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1));
    }

    private static int encodedLength(String s, int length) throws IOException {
        long bytes = length;
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (isSurrogatePair(s, i, length)) {
                    bytes += 2; // 4 bytes for the 2 chars
                    i++;
                } else {
                    bytes += 2;
                }
            }
        }
        if (bytes > MAX_BYTES) {
            throw new IOException("String too long to serialize: " + bytes + " bytes in UTF-8");
        }
        return (int) bytes;
    }

    private static void encode(String s, int length, byte[] buffer, int position) {
        int i = 0;
        // Most strings are ASCII: a tight loop until the first other char.
        for (; i < length; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                break;
            }
            buffer[position++] = (byte) c;
        }
        for (; i < length; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                buffer[position++] = (byte) c;
            } else if (c < 0x800) {
                buffer[position++] = (byte) (0xC0 | (c >> 6));
                buffer[position++] = (byte) (0x80 | (c & 0x3F));
            } else if (isSurrogatePair(s, i, length)) {
                int codePoint = Character.toCodePoint(c, s.charAt(++i));
                buffer[position++] = (byte) (0xF0 | (codePoint >> 18));
                buffer[position++] = (byte) (0x80 | ((codePoint >> 12) & 0x3F));
                buffer[position++] = (byte) (0x80 | ((codePoint >> 6) & 0x3F));
                buffer[position++] = (byte) (0x80 | (codePoint & 0x3F));
            } else {
                // Includes unpaired surrogates (the WTF-8 extension of UTF-8).
                buffer[position++] = (byte) (0xE0 | (c >> 12));
                buffer[position++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                buffer[position++] = (byte) (0x80 | (c & 0x3F));
            }
        }
    }

    /** Decodes {@code bytes}, of which the first {@code ascii} are known to be ASCII. */
    private static String decode(byte[] bytes, int ascii) throws UTFDataFormatException {
        int length = bytes.length;
        char[] chars = new char[length]; // never more chars than bytes
        for (int i = 0; i < ascii; i++) {
            chars[i] = (char) bytes[i];
        }
        int count = ascii;
        int i = ascii;
        while (i < length) {
            int b = bytes[i++];
            if (b >= 0) {
                chars[count++] = (char) b;
            } else if ((b & 0xE0) == 0xC0) {
                chars[count++] = (char) (((b & 0x1F) << 6) | continuation(bytes, i++));
            } else if ((b & 0xF0) == 0xE0) {
                int b1 = continuation(bytes, i++);
                chars[count++] = (char) (((b & 0x0F) << 12) | (b1 << 6) | continuation(bytes, i++));
            } else if ((b & 0xF8) == 0xF0) {
                int b1 = continuation(bytes, i++);
                int b2 = continuation(bytes, i++);
                int codePoint = ((b & 0x07) << 18) | (b1 << 12) | (b2 << 6) | continuation(bytes, i++);
                if (codePoint < Character.MIN_SUPPLEMENTARY_CODE_POINT || codePoint > Character.MAX_CODE_POINT) {
                    throw new UTFDataFormatException("Malformed string: invalid code point " + codePoint);
                }
                chars[count++] = Character.highSurrogate(codePoint);
                chars[count++] = Character.lowSurrogate(codePoint);
            } else {
                throw new UTFDataFormatException("Malformed string: unexpected byte 0x"
                        + Integer.toHexString(b & 0xFF) + " at " + (i - 1));
            }
        }
        return new String(chars, 0, count);
    }

    private static int continuation(byte[] bytes, int i) throws UTFDataFormatException {
        if (i >= bytes.length || (bytes[i] & 0xC0) != 0x80) {
            throw new UTFDataFormatException("Malformed string: truncated multi-byte sequence at " + i);
        }
        return bytes[i] & 0x3F;
    }
}
