package io.sluice.api.types;

import static io.sluice.api.types.RoundTrip.bytes;
import static io.sluice.api.types.RoundTrip.deserialize;
import static io.sluice.api.types.RoundTrip.roundTrip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UTFDataFormatException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BasicTypesTest {

    @Test
    void primitivesRoundTripIncludingExtremes() {
        for (long v : new long[] {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE}) {
            assertEquals(v, roundTrip(Types.LONG, v));
        }
        for (int v : new int[] {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            assertEquals(v, roundTrip(Types.INT, v));
        }
        for (short v : new short[] {0, -1, Short.MIN_VALUE, Short.MAX_VALUE}) {
            assertEquals(v, roundTrip(Types.SHORT, v));
        }
        for (byte v : new byte[] {0, -1, Byte.MIN_VALUE, Byte.MAX_VALUE}) {
            assertEquals(v, roundTrip(Types.BYTE, v));
        }
        for (char v : new char[] {'a', 0, Character.MAX_VALUE, '\uD800', 'é'}) {
            assertEquals(v, roundTrip(Types.CHAR, v));
        }
        assertEquals(true, roundTrip(Types.BOOLEAN, true));
        assertEquals(false, roundTrip(Types.BOOLEAN, false));
    }

    @Test
    void floatingPointKeepsExactBits() {
        for (double v : new double[] {0.0, -0.0, 1.5, Double.NaN, Double.MIN_VALUE, Double.NEGATIVE_INFINITY,
                Double.longBitsToDouble(0x7ff8000000000123L)}) {
            assertEquals(Double.doubleToRawLongBits(v), Double.doubleToRawLongBits(roundTrip(Types.DOUBLE, v)));
        }
        for (float v : new float[] {0f, -0f, 1.5f, Float.NaN, Float.MAX_VALUE, Float.intBitsToFloat(0x7fc00123)}) {
            assertEquals(Float.floatToRawIntBits(v), Float.floatToRawIntBits(roundTrip(Types.FLOAT, v)));
        }
    }

    @Test
    void fixedWidthEncodings() {
        assertEquals(8, bytes(Types.LONG, 1L).length);
        assertEquals(4, bytes(Types.INT, 1).length);
        assertEquals(1, bytes(Types.BOOLEAN, true).length);
    }

    @Test
    void eachPrimitiveDeclaresTheLengthItWritesAndStringsAndBytesDeclareNone() {
        assertEquals(bytes(Types.LONG, Long.MIN_VALUE).length, Types.LONG.fixedLength());
        assertEquals(bytes(Types.INT, -1).length, Types.INT.fixedLength());
        assertEquals(bytes(Types.SHORT, (short) 3).length, Types.SHORT.fixedLength());
        assertEquals(bytes(Types.BYTE, (byte) 3).length, Types.BYTE.fixedLength());
        assertEquals(bytes(Types.DOUBLE, Double.NaN).length, Types.DOUBLE.fixedLength());
        assertEquals(bytes(Types.FLOAT, -0.0f).length, Types.FLOAT.fixedLength());
        assertEquals(bytes(Types.BOOLEAN, false).length, Types.BOOLEAN.fixedLength());
        assertEquals(bytes(Types.CHAR, '\uffff').length, Types.CHAR.fixedLength());
        assertEquals(TypeSerializer.VARIABLE_LENGTH, Types.STRING.fixedLength());
        assertEquals(TypeSerializer.VARIABLE_LENGTH, Types.BYTES.fixedLength());
        assertEquals(TypeSerializer.VARIABLE_LENGTH, Types.nullable(Types.LONG).fixedLength(), "a marker byte, then maybe 8");
    }

    @Test
    void constantsDoNotAcceptNull() {
        for (TypeSerializer<?> s : List.of(Types.STRING, Types.LONG, Types.INT, Types.SHORT, Types.BYTE, Types.DOUBLE,
                Types.FLOAT, Types.BOOLEAN, Types.CHAR, Types.BYTES)) {
            assertFalse(s.acceptsNull(), s.typeName());
        }
    }

    @Test
    void typeNames() {
        assertEquals("String", Types.STRING.typeName());
        assertEquals("Long", Types.LONG.typeName());
        assertEquals("Integer", Types.INT.typeName());
        assertEquals("Character", Types.CHAR.typeName());
        assertEquals("byte[]", Types.BYTES.typeName());
    }

    @Test
    void ofPrimitiveAndBoxClassesGivesTheConstants() {
        assertSame(Types.INT, Types.of(int.class));
        assertSame(Types.INT, Types.of(Integer.class));
        assertSame(Types.LONG, Types.of(long.class));
        assertSame(Types.DOUBLE, Types.of(Double.class));
        assertSame(Types.BOOLEAN, Types.of(boolean.class));
        assertSame(Types.CHAR, Types.of(char.class));
        assertSame(Types.STRING, Types.of(String.class));
        assertSame(Types.BYTES, Types.of(byte[].class));
    }

    @Test
    void stringsRoundTrip() {
        for (String s : List.of("", "a", "hello world", "héllo", "日本語", "\u0000nul", "\u07FF\u0800\uFFFF")) {
            assertEquals(s, roundTrip(Types.STRING, s));
        }
    }

    @Test
    void nonBmpCharactersAreStandardUtf8() {
        String s = "clef \uD834\uDD1E and emoji \uD83D\uDE00!";
        assertEquals(s, roundTrip(Types.STRING, s));
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        byte[] written = bytes(Types.STRING, s);
        assertEquals(utf8.length, written[0]); // one-byte varint length
        assertArrayEquals(utf8, java.util.Arrays.copyOfRange(written, 1, written.length));
    }

    @Test
    void unpairedSurrogatesRoundTrip() {
        for (String s : List.of("\uD800", "\uDC00", "a\uD800b", "\uDC00\uD800", "x\uD83D", "\uD83D\uD83D\uDE00")) {
            assertEquals(s, roundTrip(Types.STRING, s));
        }
    }

    @Test
    void stringsLongerThan64KiloBytes() {
        StringBuilder ascii = new StringBuilder();
        StringBuilder mixed = new StringBuilder();
        for (int i = 0; i < 70_001; i++) {
            ascii.append((char) ('a' + i % 26));
            mixed.append(i % 3 == 0 ? "\uD83D\uDE00" : i % 3 == 1 ? "ü" : "語");
        }
        assertEquals(ascii.toString(), roundTrip(Types.STRING, ascii.toString()));
        assertEquals(mixed.toString(), roundTrip(Types.STRING, mixed.toString()));
        assertEquals(70_001 + 3, bytes(Types.STRING, ascii.toString()).length); // 3-byte varint header
    }

    @Test
    void randomStringsOfArbitraryCharsRoundTrip() {
        long seed = 42;
        Random random = new Random(seed);
        for (int n = 0; n < 2_000; n++) {
            char[] chars = new char[random.nextInt(40)];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = (char) random.nextInt(Character.MAX_VALUE + 1);
            }
            String s = new String(chars);
            assertEquals(s, roundTrip(Types.STRING, s), "seed " + seed + ", string " + n);
        }
    }

    @Test
    void malformedStringBytesAreRejected() {
        // length 2, then a 3-byte lead byte followed by only one continuation byte
        assertThrows(UTFDataFormatException.class,
                () -> deserialize(Types.STRING, new byte[] {2, (byte) 0xE2, (byte) 0x82}));
        assertThrows(UTFDataFormatException.class, () -> deserialize(Types.STRING, new byte[] {1, (byte) 0xFF}));
        assertThrows(IOException.class, () -> deserialize(Types.STRING, new byte[] {5, 'a'}));
    }

    @Test
    void byteArraysRoundTrip() {
        assertArrayEquals(new byte[0], roundTrip(Types.BYTES, new byte[0]));
        byte[] data = new byte[100_000];
        new Random(7).nextBytes(data);
        assertArrayEquals(data, roundTrip(Types.BYTES, data));
    }

    @Test
    void constantsSurviveJavaSerializationAsTheSameInstance() {
        assertSame(Types.STRING, RoundTrip.javaRoundTrip(Types.STRING));
        assertSame(Types.LONG, RoundTrip.javaRoundTrip(Types.LONG));
        assertSame(Types.BYTES, RoundTrip.javaRoundTrip(Types.BYTES));
    }
}
