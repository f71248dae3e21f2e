package io.sluice.testing.serializers;

import io.sluice.api.types.TypeSerializer;
import io.sluice.api.types.Types;
import io.sluice.api.windowing.GlobalWindow;
import io.sluice.api.windowing.TimeWindow;
import io.sluice.testing.TypeSerializerContractTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Nested;

/**
 * Every serializer of sluice-api against the {@link TypeSerializerContractTest}: one nested class per implementation
 * (the eight primitives, {@code String}, {@code byte[]}, enums, records, lists, maps, optionals, nullable, windows).
 */
class BuiltInSerializersContractTest {

    @Nested
    class LongSerializer extends TypeSerializerContractTest<Long> {
        protected TypeSerializer<Long> createSerializer() {
            return Types.LONG;
        }

        protected Long randomValue(Random random) {
            return random.nextBoolean() ? random.nextLong() : (long) random.nextInt(1000) - 500;
        }

        protected List<Long> edgeValues() {
            return List.of(0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE);
        }
    }

    @Nested
    class IntSerializer extends TypeSerializerContractTest<Integer> {
        protected TypeSerializer<Integer> createSerializer() {
            return Types.INT;
        }

        protected Integer randomValue(Random random) {
            return random.nextInt();
        }

        protected List<Integer> edgeValues() {
            return List.of(0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE);
        }
    }

    @Nested
    class ShortSerializer extends TypeSerializerContractTest<Short> {
        protected TypeSerializer<Short> createSerializer() {
            return Types.SHORT;
        }

        protected Short randomValue(Random random) {
            return (short) random.nextInt();
        }

        protected List<Short> edgeValues() {
            return List.of(Short.MIN_VALUE, Short.MAX_VALUE);
        }
    }

    @Nested
    class ByteSerializer extends TypeSerializerContractTest<Byte> {
        protected TypeSerializer<Byte> createSerializer() {
            return Types.BYTE;
        }

        protected Byte randomValue(Random random) {
            return (byte) random.nextInt();
        }
    }

    /** Exact bits, as {@link Types#DOUBLE} promises: NaN payloads and {@code -0.0} are compared bit by bit. */
    @Nested
    class DoubleSerializer extends TypeSerializerContractTest<Double> {
        protected TypeSerializer<Double> createSerializer() {
            return Types.DOUBLE;
        }

        protected Double randomValue(Random random) {
            return random.nextBoolean() ? random.nextGaussian() * 1e6 : Double.longBitsToDouble(random.nextLong());
        }

        protected List<Double> edgeValues() {
            return List.of(0.0, -0.0, Double.NaN, Double.longBitsToDouble(0x7FF0_0000_0000_0001L),
                    Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE);
        }

        protected boolean valuesEqual(Double a, Double b) {
            return Double.doubleToRawLongBits(a) == Double.doubleToRawLongBits(b);
        }
    }

    @Nested
    class FloatSerializer extends TypeSerializerContractTest<Float> {
        protected TypeSerializer<Float> createSerializer() {
            return Types.FLOAT;
        }

        protected Float randomValue(Random random) {
            return Float.intBitsToFloat(random.nextInt());
        }

        protected List<Float> edgeValues() {
            return List.of(0.0f, -0.0f, Float.NaN, Float.intBitsToFloat(0x7FC0_0001), Float.NEGATIVE_INFINITY);
        }

        protected boolean valuesEqual(Float a, Float b) {
            return Float.floatToRawIntBits(a) == Float.floatToRawIntBits(b);
        }
    }

    @Nested
    class BooleanSerializer extends TypeSerializerContractTest<Boolean> {
        protected TypeSerializer<Boolean> createSerializer() {
            return Types.BOOLEAN;
        }

        protected Boolean randomValue(Random random) {
            return random.nextBoolean();
        }
    }

    @Nested
    class CharSerializer extends TypeSerializerContractTest<Character> {
        protected TypeSerializer<Character> createSerializer() {
            return Types.CHAR;
        }

        protected Character randomValue(Random random) {
            return (char) random.nextInt(Character.MAX_VALUE + 1);
        }
    }

    @Nested
    class StringSerializer extends TypeSerializerContractTest<String> {
        protected TypeSerializer<String> createSerializer() {
            return Types.STRING;
        }

        protected String randomValue(Random random) {
            return RandomData.string(random, 40);
        }

        /** Longer than 64 KB in UTF-8 (past {@code writeUTF}'s limit), and surrogates alone and in pairs. */
        protected List<String> edgeValues() {
            return List.of("", "\0", "\uD800", "\uDC00\uD800", "\uD83D\uDE00", "é".repeat(40_000));
        }
    }

    @Nested
    class BytesSerializer extends TypeSerializerContractTest<byte[]> {
        protected TypeSerializer<byte[]> createSerializer() {
            return Types.BYTES;
        }

        protected byte[] randomValue(Random random) {
            return RandomData.bytes(random, random.nextInt(20) == 0 ? 300 : 20);
        }

        protected List<byte[]> edgeValues() {
            return List.of(new byte[0], new byte[200_000]);
        }
    }

    enum Suit { CLUBS, DIAMONDS, HEARTS, SPADES }

    @Nested
    class EnumSerializer extends TypeSerializerContractTest<Suit> {
        protected TypeSerializer<Suit> createSerializer() {
            return Types.of(Suit.class);
        }

        protected Suit randomValue(Random random) {
            return Suit.values()[random.nextInt(Suit.values().length)];
        }
    }

    record Card(Suit suit, int rank) {}

    record Hand(String player, long id, Card first, List<Card> cards, Map<String, Integer> scores, Optional<Suit> trump,
            Double bid, char seat, boolean dealer) {}

    /** A record of every kind of component, nullable ones null now and then: mutable (it holds lists and maps). */
    @Nested
    class RecordSerializer extends TypeSerializerContractTest<Hand> {
        protected TypeSerializer<Hand> createSerializer() {
            return Types.of(Hand.class);
        }

        protected Hand randomValue(Random random) {
            Map<String, Integer> scores = new LinkedHashMap<>();
            for (int n = random.nextInt(4); n > 0; n--) {
                scores.put(RandomData.string(random, 5), random.nextInt());
            }
            return new Hand(RandomData.orNull(random, 6, () -> RandomData.string(random, 12)), random.nextLong(),
                    RandomData.orNull(random, 6, () -> card(random)),
                    RandomData.orNull(random, 6, () -> RandomData.list(random, 5, () -> card(random))),
                    RandomData.orNull(random, 6, () -> scores),
                    RandomData.orNull(random, 6, () -> random.nextBoolean() ? Optional.of(Suit.HEARTS) : Optional.empty()),
                    RandomData.orNull(random, 6, random::nextDouble), (char) random.nextInt(0x3000), random.nextBoolean());
        }

        private Card card(Random random) {
            return new Card(Suit.values()[random.nextInt(4)], random.nextInt(13));
        }
    }

    /** A record of immutable components only: immutable itself. */
    @Nested
    class ImmutableRecordSerializer extends TypeSerializerContractTest<Card> {
        protected TypeSerializer<Card> createSerializer() {
            return Types.of(Card.class);
        }

        protected Card randomValue(Random random) {
            return new Card(RandomData.orNull(random, 5, () -> Suit.values()[random.nextInt(4)]), random.nextInt());
        }
    }

    record Reading(long sensor, int zone, short level, byte flags, double value, float delta, boolean valid, char unit) {}

    /** A record of primitives only: it declares a fixed length, which every value must have. */
    @Nested
    class FixedLengthRecordSerializer extends TypeSerializerContractTest<Reading> {
        protected TypeSerializer<Reading> createSerializer() {
            return Types.of(Reading.class);
        }

        protected Reading randomValue(Random random) {
            return new Reading(random.nextLong(), random.nextInt(), (short) random.nextInt(), (byte) random.nextInt(),
                    random.nextBoolean() ? random.nextDouble() : Double.longBitsToDouble(random.nextLong()),
                    random.nextFloat(), random.nextBoolean(), (char) random.nextInt(0x10000));
        }
    }

    @Nested
    class ListSerializer extends TypeSerializerContractTest<List<String>> {
        protected TypeSerializer<List<String>> createSerializer() {
            return Types.list(Types.nullable(Types.STRING));
        }

        protected List<String> randomValue(Random random) {
            return RandomData.list(random, 8, () -> RandomData.orNull(random, 5, () -> RandomData.string(random, 6)));
        }

        protected List<List<String>> edgeValues() {
            List<String> large = new ArrayList<>();
            for (int i = 0; i < 5_000; i++) {
                large.add(i % 7 == 0 ? null : "e" + i);
            }
            return List.of(new ArrayList<>(), List.of("immutable", "input"), large);
        }
    }

    @Nested
    class MapSerializer extends TypeSerializerContractTest<Map<String, List<Integer>>> {
        protected TypeSerializer<Map<String, List<Integer>>> createSerializer() {
            return Types.map(Types.STRING, Types.list(Types.INT));
        }

        protected Map<String, List<Integer>> randomValue(Random random) {
            Map<String, List<Integer>> map = new LinkedHashMap<>();
            for (int n = random.nextInt(6); n > 0; n--) {
                map.put(RandomData.string(random, 4), RandomData.list(random, 4, random::nextInt));
            }
            return map;
        }
    }

    /** An optional of a mutable value: copies must copy the value inside. */
    @Nested
    class OptionalSerializer extends TypeSerializerContractTest<Optional<List<Long>>> {
        protected TypeSerializer<Optional<List<Long>>> createSerializer() {
            return Types.optional(Types.list(Types.LONG));
        }

        protected Optional<List<Long>> randomValue(Random random) {
            return random.nextInt(4) == 0 ? Optional.empty() : Optional.of(RandomData.list(random, 4, random::nextLong));
        }
    }

    @Nested
    class OptionalOfImmutableSerializer extends TypeSerializerContractTest<Optional<String>> {
        protected TypeSerializer<Optional<String>> createSerializer() {
            return Types.optional(Types.STRING);
        }

        protected Optional<String> randomValue(Random random) {
            return random.nextInt(4) == 0 ? Optional.empty() : Optional.of(RandomData.string(random, 10));
        }
    }

    @Nested
    class NullableSerializer extends TypeSerializerContractTest<byte[]> {
        protected TypeSerializer<byte[]> createSerializer() {
            return Types.nullable(Types.BYTES);
        }

        protected byte[] randomValue(Random random) {
            return RandomData.orNull(random, 4, () -> RandomData.bytes(random, 10));
        }
    }

    @Nested
    class TimeWindowSerializer extends TypeSerializerContractTest<TimeWindow> {
        protected TypeSerializer<TimeWindow> createSerializer() {
            return TimeWindow.serializer();
        }

        protected TimeWindow randomValue(Random random) {
            long start = random.nextLong() / 2;
            return new TimeWindow(start, start + 1 + random.nextInt(1_000_000));
        }
    }

    /** Writes no bytes; a {@code null} is refused rather than read back as the global window. */
    @Nested
    class GlobalWindowSerializer extends TypeSerializerContractTest<GlobalWindow> {
        protected TypeSerializer<GlobalWindow> createSerializer() {
            return GlobalWindow.serializer();
        }

        protected GlobalWindow randomValue(Random random) {
            return GlobalWindow.get();
        }
    }
}
