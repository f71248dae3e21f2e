package io.sluice.api.types;

import static io.sluice.api.types.RoundTrip.javaRoundTrip;
import static io.sluice.api.types.RoundTrip.roundTrip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecordSerializerTest {

    enum Color {
        RED,
        GREEN {
            @Override
            public String toString() {
                return "green, with a constant body";
            }
        },
        BLUE
    }

    record Word(String text, int count) {}

    record Line(String item, long quantity, double price, Color color) {}

    record Order(long id, List<Line> lines, Map<String, Line> byItem, Optional<Color> favourite,
            Map<String, Integer> counts, Optional<Long> discount) {}

    record AllPrimitives(byte b, short s, int i, long l, float f, double d, boolean z, char c,
            Byte boxedByte, Short boxedShort, Integer boxedInt, Long boxedLong, Float boxedFloat, Double boxedDouble,
            Boolean boxedBoolean, Character boxedChar, String string) {}

    record Blob(String name, byte[] data) {}

    record Node(String value, Node next) {}

    record Tree(String label, List<Tree> children) {}

    record Pair<A, B>(A first, B second) {}

    record PairHolder(Pair<String, Long> pair, List<Pair<Integer, Color>> pairs) {}

    private record Secret(String value) {}

    record Empty() {}

    record Positive(int n) {
        Positive {
            if (n <= 0) {
                throw new IllegalArgumentException("not positive: " + n);
            }
        }
    }

    private static Order sampleOrder() {
        Line apple = new Line("apple", 3, 0.5, Color.RED);
        Line pear = new Line("pear", 1, 1.25, Color.GREEN);
        Map<String, Line> byItem = new LinkedHashMap<>();
        byItem.put("apple", apple);
        byItem.put("pear", pear);
        return new Order(7, List.of(apple, pear), byItem, Optional.of(Color.BLUE), Map.of("x", 1), Optional.of(5L));
    }

    @Test
    void simpleRecord() {
        TypeSerializer<Word> s = Types.of(Word.class);
        assertEquals(new Word("hi", 3), roundTrip(s, new Word("hi", 3)));
        assertEquals("Word", s.typeName());
    }

    @Test
    void nestedRecordsWithListMapAndOptionalOfEnum() {
        TypeSerializer<Order> s = Types.of(Order.class);
        Order order = sampleOrder();
        assertEquals(order, roundTrip(s, order));
        Order empty = new Order(0, List.of(), Map.of(), Optional.empty(), Map.of(), Optional.empty());
        assertEquals(empty, roundTrip(s, empty));
    }

    @Test
    void referenceComponentsMayBeNull() {
        TypeSerializer<Order> s = Types.of(Order.class);
        Order nulls = new Order(1, null, null, null, null, null);
        assertEquals(nulls, roundTrip(s, nulls));
        Line noItem = new Line(null, 0, 0, null);
        assertEquals(noItem, roundTrip(Types.of(Line.class), noItem));
    }

    @Test
    void nullListElementsNeedANullableElementSerializer() {
        TypeSerializer<List<Word>> s = Types.list(Types.nullable(Types.of(Word.class)));
        List<Word> words = Arrays.asList(new Word("a", 1), null, new Word(null, 2));
        assertEquals(words, roundTrip(s, words));
    }

    @Test
    void primitivesAndBoxesAsComponents() {
        TypeSerializer<AllPrimitives> s = Types.of(AllPrimitives.class);
        AllPrimitives full = new AllPrimitives((byte) -1, (short) 2, 3, Long.MIN_VALUE, 1.5f, -0.0, true, '\uD83D',
                (byte) 4, (short) 5, 6, 7L, 8f, 9.0, false, 'x', "s\uD83D\uDE00");
        assertEquals(full, roundTrip(s, full));
        AllPrimitives boxesNull = new AllPrimitives((byte) 0, (short) 0, 0, 0, 0, 0, false, 'a',
                null, null, null, null, null, null, null, null, null);
        assertEquals(boxesNull, roundTrip(s, boxesNull));
    }

    @Test
    void byteArrayComponent() {
        Blob blob = roundTrip(Types.of(Blob.class), new Blob("b", new byte[] {1, 2, 3}));
        assertEquals("b", blob.name());
        assertArrayEquals(new byte[] {1, 2, 3}, blob.data());
        assertNull(roundTrip(Types.of(Blob.class), new Blob("b", null)).data());
    }

    @Test
    void enumsAsOrdinals() {
        TypeSerializer<Color> s = Types.of(Color.class);
        for (Color c : Color.values()) {
            assertSame(c, roundTrip(s, c));
        }
        assertEquals(1, RoundTrip.bytes(s, Color.BLUE).length);
        assertEquals("Color", s.typeName());
        // the class of a constant with a body is an anonymous subclass; it maps to the enum itself
        assertEquals(s, Types.of(Color.GREEN.getClass()));
    }

    @Test
    void corruptEnumOrdinalIsAnIOException() {
        assertThrows(java.io.IOException.class, () -> RoundTrip.deserialize(Types.of(Color.class), new byte[] {9}));
    }

    @Test
    void recursiveRecords() {
        TypeSerializer<Node> nodes = Types.of(Node.class);
        Node chain = new Node("a", new Node("b", new Node("c", null)));
        assertEquals(chain, roundTrip(nodes, chain));

        TypeSerializer<Tree> trees = Types.of(Tree.class);
        Tree tree = new Tree("root", List.of(new Tree("left", List.of()), new Tree("right",
                List.of(new Tree("leaf", null)))));
        assertEquals(tree, roundTrip(trees, tree));

        TypeSerializer<Tree> copy = javaRoundTrip(trees);
        assertEquals(trees, copy);
        assertEquals(tree, roundTrip(copy, tree));
    }

    @Test
    void genericRecordThroughParameterizedType() throws Exception {
        TypeSerializer<PairHolder> s = Types.of(PairHolder.class);
        PairHolder holder = new PairHolder(new Pair<>("a", 1L), List.of(new Pair<>(2, Color.RED), new Pair<>(null, null)));
        assertEquals(holder, roundTrip(s, holder));

        Type pairOfStringLong = PairHolder.class.getRecordComponents()[0].getGenericType();
        TypeSerializer<?> pairSerializer = Types.of(pairOfStringLong);
        assertEquals("Pair<String, Long>", pairSerializer.typeName());
        Type pairOfIntColor = ((java.lang.reflect.ParameterizedType) PairHolder.class.getRecordComponents()[1]
                .getGenericType()).getActualTypeArguments()[0];
        assertNotEquals(pairSerializer, Types.of(pairOfIntColor));
        assertEquals(pairSerializer, Types.of(pairOfStringLong));
    }

    @Test
    void privateAndEmptyRecords() {
        assertEquals(new Secret("s"), roundTrip(Types.of(Secret.class), new Secret("s")));
        assertEquals(new Empty(), roundTrip(Types.of(Empty.class), new Empty()));
        assertEquals(0, RoundTrip.bytes(Types.of(Empty.class), new Empty()).length);
    }

    @Test
    void canonicalConstructorValidatesOnRead() {
        byte[] zero = RoundTrip.bytes(Types.INT, 0); // the same bytes a Positive(0) would have
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RoundTrip.deserialize(Types.of(Positive.class), zero));
        assertEquals("not positive: 0", e.getMessage());
    }

    @Test
    void equalityAndHashCode() {
        assertEquals(Types.of(Order.class), Types.of(Order.class));
        assertEquals(Types.of(Order.class).hashCode(), Types.of(Order.class).hashCode());
        assertNotEquals(Types.of(Word.class), Types.of(Line.class));
        assertEquals(Types.list(Types.of(Word.class)), Types.list(Types.of(Word.class)));
    }

    @Test
    void recordSerializerSurvivesJavaSerializationAndStillWorks() {
        TypeSerializer<Order> s = Types.of(Order.class);
        TypeSerializer<Order> copy = javaRoundTrip(s);
        assertEquals(s, copy);
        Order order = sampleOrder();
        assertEquals(order, roundTrip(copy, order));
        // bytes are identical, so one side can write what the other reads
        assertArrayEquals(RoundTrip.bytes(s, order), RoundTrip.bytes(copy, order));
        // and a copy of a copy, as when a job graph is shipped twice
        assertEquals(order, roundTrip(javaRoundTrip(copy), order));
    }

    record Sample(long at, double value, int zone, boolean valid, char unit, short level, byte flags, float delta) {}

    @Test
    void aRecordOfPrimitivesDeclaresTheLengthItWritesAndOthersDeclareNone() {
        TypeSerializer<Sample> samples = Types.of(Sample.class);
        byte[] written = RoundTrip.bytes(samples, new Sample(-1L, Double.NaN, 7, true, 'x', (short) -3, (byte) 9, 0.5f));
        assertEquals(written.length, samples.fixedLength(), "the bytes of one sample, measured");
        assertEquals(0, Types.of(Empty.class).fixedLength());
        // a reference component is nullable: a marker byte and the value, or the marker alone
        for (Class<?> variable : List.of(Word.class, Line.class, AllPrimitives.class, Node.class, Tree.class)) {
            assertEquals(TypeSerializer.VARIABLE_LENGTH, Types.of(variable).fixedLength(), variable.getSimpleName());
        }
    }
}
