package io.sluice.api.types;

import static io.sluice.api.types.RoundTrip.bytes;
import static io.sluice.api.types.RoundTrip.roundTrip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The compiled record codecs write exactly the bytes of the record's component serializers: checked against bytes
 * written here by hand with {@link DataOutputStream} (the built-in primitive serializers' documented format) and
 * against the component serializers themselves, over seeded random values.
 */
class RecordCodecTest {

    record Primitives(long l, int i, short s, byte b, char c, boolean z, double d, float f) {}

    record Mixed(String name, long n, List<Integer> xs, Primitives inner, Integer boxed) {}

    private record Hidden(int secret, String label) {}

    record Positive(long n) {
        Positive {
            if (n <= 0) {
                throw new IllegalArgumentException("not positive: " + n);
            }
        }
    }

    private static final TypeSerializer<Primitives> PRIMITIVES = Types.of(Primitives.class);
    private static final TypeSerializer<Mixed> MIXED = Types.of(Mixed.class);

    @Test
    void recordsOfThisTestAreCompiled() {
        assertTrue(((RecordSerializer<?>) PRIMITIVES).usesCompiledCodec());
        assertTrue(((RecordSerializer<?>) MIXED).usesCompiledCodec());
        assertTrue(((RecordSerializer<?>) Types.of(Hidden.class)).usesCompiledCodec(), "a private record too");
    }

    @Test
    void primitivesAreWrittenAsTheBuiltInSerializersWriteThem() throws IOException {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int n = 0; n < 2_000; n++) {
            Primitives p = randomPrimitives(random);
            byte[] expected = handWritten(p);
            assertArrayEquals(expected, bytes(PRIMITIVES, p), "seed " + seed + ", value " + p);
            Primitives back = roundTrip(PRIMITIVES, p);
            assertEquals(Double.doubleToRawLongBits(p.d()), Double.doubleToRawLongBits(back.d()), "seed " + seed);
            assertEquals(Float.floatToRawIntBits(p.f()), Float.floatToRawIntBits(back.f()), "seed " + seed);
            assertEquals(p.l(), back.l(), "seed " + seed);
            assertEquals(p.i(), back.i(), "seed " + seed);
            assertEquals(p.s(), back.s(), "seed " + seed);
            assertEquals(p.b(), back.b(), "seed " + seed);
            assertEquals(p.c(), back.c(), "seed " + seed);
            assertEquals(p.z(), back.z(), "seed " + seed);
        }
    }

    @Test
    void referenceComponentsGoThroughTheirSerializersNullsIncluded() throws IOException {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        TypeSerializer<String> name = Types.nullable(Types.STRING);
        TypeSerializer<List<Integer>> xs = Types.nullable(Types.list(Types.INT));
        TypeSerializer<Integer> boxed = Types.nullable(Types.INT);
        for (int n = 0; n < 1_000; n++) {
            List<Integer> list = new ArrayList<>();
            for (int k = random.nextInt(4); k > 0; k--) {
                list.add(random.nextInt());
            }
            Mixed m = new Mixed(random.nextBoolean() ? null : "w" + random.nextInt(), random.nextLong(),
                    random.nextBoolean() ? null : list, random.nextBoolean() ? null : randomPrimitives(random),
                    random.nextBoolean() ? null : random.nextInt());
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(buffer);
            name.serialize(m.name(), out);
            out.writeLong(m.n());
            xs.serialize(m.xs(), out);
            Types.nullable(PRIMITIVES).serialize(m.inner(), out);
            boxed.serialize(m.boxed(), out);
            assertArrayEquals(buffer.toByteArray(), bytes(MIXED, m), "seed " + seed + ", value " + m);
            assertEquals(m, roundTrip(MIXED, m), "seed " + seed);
        }
    }

    @Test
    void theCanonicalConstructorStillValidatesOnRead() {
        TypeSerializer<Positive> serializer = Types.of(Positive.class);
        assertTrue(((RecordSerializer<?>) serializer).usesCompiledCodec());
        byte[] zero = new byte[8];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> serializer.deserialize(new java.io.DataInputStream(new java.io.ByteArrayInputStream(zero))));
        assertEquals("not positive: 0", e.getMessage());
    }

    @Test
    void aJavaDeserializedSerializerCompilesAgain() {
        TypeSerializer<Primitives> copy = RoundTrip.javaRoundTrip(PRIMITIVES);
        Primitives p = randomPrimitives(new Random(1));
        assertArrayEquals(bytes(PRIMITIVES, p), bytes(copy, p));
        assertTrue(((RecordSerializer<?>) copy).usesCompiledCodec());
    }

    /**
     * Every serializer of one record class on this JVM shares one compiled codec (one hidden class), a Java-deserialized
     * copy (as each task's plan brings its own) included; each record class has its own.
     */
    @Test
    void serializersOfOneRecordClassShareOneCodec() {
        RecordCodec codec = ((RecordSerializer<?>) PRIMITIVES).codec();
        assertSame(codec, ((RecordSerializer<?>) Types.of(Primitives.class)).codec());
        assertSame(codec, ((RecordSerializer<?>) RoundTrip.javaRoundTrip(PRIMITIVES)).codec());
        assertNotSame(codec.getClass(), ((RecordSerializer<?>) MIXED).codec().getClass());
    }

    private static Primitives randomPrimitives(Random random) {
        double d = switch (random.nextInt(5)) {
            case 0 -> Double.longBitsToDouble(0x7ff8_0000_dead_beefL); // a NaN with a payload: raw bits kept
            case 1 -> -0.0;
            case 2 -> Double.POSITIVE_INFINITY;
            default -> random.nextGaussian() * 1e6;
        };
        float f = switch (random.nextInt(4)) {
            case 0 -> Float.intBitsToFloat(0x7fc0_1234);
            case 1 -> -0.0f;
            default -> (float) random.nextGaussian();
        };
        return new Primitives(random.nextLong(), random.nextInt(), (short) random.nextInt(), (byte) random.nextInt(),
                (char) random.nextInt(), random.nextBoolean(), d, f);
    }

    private static byte[] handWritten(Primitives p) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(buffer);
        out.writeLong(p.l());
        out.writeInt(p.i());
        out.writeShort(p.s());
        out.writeByte(p.b());
        out.writeChar(p.c());
        out.writeBoolean(p.z());
        out.writeLong(Double.doubleToRawLongBits(p.d()));
        out.writeInt(Float.floatToRawIntBits(p.f()));
        return buffer.toByteArray();
    }
}
