package io.sluice.api.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Flat codecs keep each component in one {@code long}, in declaration order, converted as written here by hand (the
 * oracle), touch nothing outside their {@code width()} longs, and build back a value equal to the stored one down to
 * the bits of a NaN; over seeded random values.
 */
class FlatCodecTest {

    record Primitives(long l, int i, short s, byte b, char c, boolean z, double d, float f) {}

    private record Hidden(int secret, long more) {}

    record WithString(long n, String name) {}

    record Empty() {}

    @Test
    void recordsOfPrimitivesAreStoredOneLongPerComponentInOrder() {
        FlatCodec codec = FlatCodec.of(Types.of(Primitives.class));
        assertNotNull(codec, "a record of primitives is kept flat");
        assertEquals(8, codec.width());
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int n = 0; n < 5_000; n++) {
            Primitives p = new Primitives(random.nextLong(), random.nextInt(), (short) random.nextInt(),
                    (byte) random.nextInt(), (char) random.nextInt(), random.nextBoolean(),
                    Double.longBitsToDouble(random.nextLong()), Float.intBitsToFloat(random.nextInt()));
            int at = random.nextInt(5);
            long guard = random.nextLong();
            long[] longs = new long[at + 8 + 3];
            Arrays.fill(longs, guard);
            codec.store(p, longs, at);
            long[] expected = {p.l(), p.i(), p.s(), p.b(), p.c(), p.z() ? 1 : 0, Double.doubleToRawLongBits(p.d()),
                    Float.floatToRawIntBits(p.f())};
            String where = "seed " + seed + ", value " + p;
            assertEquals(Arrays.toString(expected), Arrays.toString(Arrays.copyOfRange(longs, at, at + 8)), where);
            for (int i = 0; i < longs.length; i++) {
                if (i < at || i >= at + 8) {
                    assertEquals(guard, longs[i], where + ": a long outside the value changed at " + i);
                }
            }
            Primitives back = (Primitives) codec.load(longs, at);
            assertEquals(p, back, where);
            assertEquals(Double.doubleToRawLongBits(p.d()), Double.doubleToRawLongBits(back.d()), where);
            assertEquals(Float.floatToRawIntBits(p.f()), Float.floatToRawIntBits(back.f()), where);
        }
    }

    @Test
    void aPrivateRecordAndAnEmptyOneAreKeptFlatToo() {
        FlatCodec hidden = FlatCodec.of(Types.of(Hidden.class));
        long[] longs = new long[2];
        hidden.store(new Hidden(-7, Long.MIN_VALUE), longs, 0);
        assertEquals(new Hidden(-7, Long.MIN_VALUE), hidden.load(longs, 0));
        FlatCodec empty = FlatCodec.of(Types.of(Empty.class));
        assertEquals(0, empty.width());
        assertEquals(new Empty(), empty.load(new long[0], 0));
    }

    /** Every state of one record class on this JVM (each task's, each job's) shares one compiled codec. */
    @Test
    void statesOfOneRecordClassShareOneCodec() {
        FlatCodec codec = FlatCodec.of(Types.of(Primitives.class));
        assertSame(codec, FlatCodec.of(Types.of(Primitives.class)));
        assertSame(codec, FlatCodec.of(RoundTrip.javaRoundTrip(Types.of(Primitives.class))));
        assertNotSame(codec, FlatCodec.of(Types.of(Hidden.class)));
    }

    @Test
    void boxesOfLongIntAndDoubleAreKeptFlat() {
        long[] longs = new long[3];
        FlatCodec.of(Types.LONG).store(Long.MIN_VALUE, longs, 0);
        FlatCodec.of(Types.INT).store(-5, longs, 1);
        double nan = Double.longBitsToDouble(0x7ff8_0000_0000_0abcL);
        FlatCodec.of(Types.DOUBLE).store(nan, longs, 2);
        assertEquals(Long.MIN_VALUE, FlatCodec.of(Types.LONG).load(longs, 0));
        assertEquals(-5, FlatCodec.of(Types.INT).load(longs, 1));
        assertEquals(0x7ff8_0000_0000_0abcL, Double.doubleToRawLongBits((Double) FlatCodec.of(Types.DOUBLE).load(longs, 2)));
    }

    @Test
    void valuesWithReferencesStayObjects() {
        assertNull(FlatCodec.of(Types.of(WithString.class)));
        assertNull(FlatCodec.of(Types.STRING));
        assertNull(FlatCodec.of(Types.list(Types.LONG)));
        assertNull(FlatCodec.of(Types.nullable(Types.LONG)), "a nullable long has a state a long cannot hold");
    }
}
