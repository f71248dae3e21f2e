package io.sluice.api.types;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.types.RecordSerializerTest.Blob;
import io.sluice.api.types.RecordSerializerTest.Color;
import io.sluice.api.types.RecordSerializerTest.Line;
import io.sluice.api.types.RecordSerializerTest.Node;
import io.sluice.api.types.RecordSerializerTest.Tree;
import io.sluice.api.types.RecordSerializerTest.Word;
import io.sluice.api.windowing.GlobalWindow;
import io.sluice.api.windowing.TimeWindow;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link TypeSerializer#copy} and {@link TypeSerializer#isImmutableType}: a copy equals its original and shares no
 * mutable object with it; values of immutable types are returned as they are.
 */
class CopyTest {

    record Holder(String name, Optional<Holder> parent) {}

    record Left(String name, Right right) {}

    record Right(long n, Optional<Left> back) {}

    record Bag(String name, Pocket pocket) {}

    record Pocket(List<Bag> bags) {}

    record Ints(List<Integer> values, Map<String, byte[]> blobs) {}

    @Test
    void immutableTypesAreNotCopied() {
        assertImmutable(Types.STRING, "text");
        assertImmutable(Types.LONG, 7L);
        assertImmutable(Types.INT, 7);
        assertImmutable(Types.SHORT, (short) 7);
        assertImmutable(Types.BYTE, (byte) 7);
        assertImmutable(Types.DOUBLE, 7.5);
        assertImmutable(Types.FLOAT, 7.5f);
        assertImmutable(Types.BOOLEAN, true);
        assertImmutable(Types.CHAR, 'x');
        assertImmutable(Types.of(Color.class), Color.GREEN);
        assertImmutable(Types.of(Word.class), new Word("a", 1));
        assertImmutable(Types.of(Line.class), new Line("apple", 3, 0.5, Color.RED));
        assertImmutable(Types.optional(Types.STRING), Optional.of("x"));
        assertImmutable(Types.nullable(Types.STRING), "x");
        assertNull(Types.nullable(Types.STRING).copy(null));
        assertImmutable(TimeWindow.serializer(), new TimeWindow(0, 10));
        assertImmutable(GlobalWindow.serializer(), GlobalWindow.get());
    }

    @Test
    void recordsReachingThemselvesOnlyThroughImmutableTypesAreImmutable() {
        assertImmutable(Types.of(Node.class), new Node("a", new Node("b", null)));
        assertImmutable(Types.of(Holder.class), new Holder("child", Optional.of(new Holder("parent", Optional.empty()))));
        assertImmutable(Types.of(Left.class), new Left("l", new Right(1, Optional.of(new Left("m", null)))));
    }

    @Test
    void recordsReachingAMutableTypeAreCopied() {
        TypeSerializer<Bag> bags = Types.of(Bag.class);
        assertFalse(bags.isImmutableType(), "a cycle through a List");
        Bag bag = new Bag("outer", new Pocket(new ArrayList<>(List.of(new Bag("inner", new Pocket(new ArrayList<>()))))));
        assertDeepCopy(bags, bag);

        TypeSerializer<Tree> trees = Types.of(Tree.class);
        assertFalse(trees.isImmutableType());
        assertDeepCopy(trees, new Tree("root", new ArrayList<>(List.of(new Tree("leaf", new ArrayList<>())))));

        assertFalse(Types.of(Blob.class).isImmutableType());
        assertDeepCopy(Types.of(Blob.class), new Blob("b", new byte[] {1, 2, 3}));
    }

    @Test
    void containersAndBytesAreCopiedDeeply() {
        assertDeepCopy(Types.BYTES, new byte[] {1, 2, 3});
        assertDeepCopy(Types.list(Types.LONG), new ArrayList<>(List.of(1L, 2L)));
        assertDeepCopy(Types.list(Types.list(Types.STRING)), new ArrayList<>(List.of(new ArrayList<>(List.of("a")))));
        Map<String, byte[]> blobs = new LinkedHashMap<>();
        blobs.put("z", new byte[] {9});
        blobs.put("a", new byte[] {1});
        assertDeepCopy(Types.map(Types.STRING, Types.BYTES), blobs);
        assertDeepCopy(Types.of(Ints.class), new Ints(new ArrayList<>(List.of(1, 2)), blobs));
        assertDeepCopy(Types.optional(Types.BYTES), Optional.of(new byte[] {4}));
        assertDeepCopy(Types.nullable(Types.list(Types.INT)), new ArrayList<>(List.of(5)));
    }

    @Test
    void aMapCopyKeepsTheIterationOrder() {
        Map<String, Integer> map = new LinkedHashMap<>();
        for (String k : List.of("q", "b", "x", "a")) {
            map.put(k, k.length());
        }
        assertEquals(List.copyOf(map.keySet()), List.copyOf(Types.map(Types.STRING, Types.INT).copy(map).keySet()));
    }

    @Test
    void theImmutabilityOfRecordsSurvivesJavaSerialization() {
        assertTrue(RoundTrip.javaRoundTrip(Types.of(Word.class)).isImmutableType());
        assertFalse(RoundTrip.javaRoundTrip(Types.of(Tree.class)).isImmutableType());
    }

    /** Holds a mutable {@code long[]} and implements only the required methods: the default copy. */
    record Counter(long[] counts) {}

    static final class CounterSerializer implements TypeSerializer<Counter> {
        @Override
        public void serialize(Counter value, DataOutput out) throws IOException {
            out.writeInt(value.counts().length);
            for (long c : value.counts()) {
                out.writeLong(c);
            }
        }

        @Override
        public Counter deserialize(DataInput in) throws IOException {
            long[] counts = new long[in.readInt()];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = in.readLong();
            }
            return new Counter(counts);
        }

        @Override
        public String typeName() {
            return "Counter";
        }
    }

    @Test
    void theDefaultCopiesThroughBytes() {
        CounterSerializer serializer = new CounterSerializer();
        assertFalse(serializer.isImmutableType());
        Counter original = new Counter(new long[] {1, 2});
        Counter copy = serializer.copy(original);
        assertArrayEquals(original.counts(), copy.counts());
        copy.counts()[0] = 99;
        assertEquals(1, original.counts()[0], "the copy is independent");
    }

    private static <T> void assertImmutable(TypeSerializer<T> serializer, T value) {
        assertTrue(serializer.isImmutableType(), serializer.typeName() + " is immutable");
        assertSame(value, serializer.copy(value), serializer.typeName() + ": a copy is the value itself");
    }

    /** The copy equals the original (by content, arrays included) and no mutable object is reachable from both. */
    static <T> void assertDeepCopy(TypeSerializer<T> serializer, T value) {
        T copy = serializer.copy(value);
        assertArrayEquals(RoundTrip.bytes(serializer, value), RoundTrip.bytes(serializer, copy),
                serializer.typeName() + ": the copy has the same content");
        assertIndependent(value, copy, serializer.typeName());
    }

    /** Walks both object graphs side by side: arrays, lists and maps must be distinct objects at every position. */
    static void assertIndependent(Object original, Object copy, String where) {
        if (original == null) {
            assertNull(copy, where);
            return;
        }
        switch (original) {
            case List<?> list -> {
                assertNotSame(original, copy, where + ": a list is shared");
                Iterator<?> c = ((List<?>) copy).iterator();
                int i = 0;
                for (Object element : list) {
                    assertIndependent(element, c.next(), where + "[" + i++ + "]");
                }
            }
            case Map<?, ?> map -> {
                assertNotSame(original, copy, where + ": a map is shared");
                Iterator<? extends Map.Entry<?, ?>> c = ((Map<?, ?>) copy).entrySet().iterator();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    Map.Entry<?, ?> ce = c.next();
                    assertIndependent(e.getKey(), ce.getKey(), where + " key " + e.getKey());
                    assertIndependent(e.getValue(), ce.getValue(), where + "{" + e.getKey() + "}");
                }
            }
            case Optional<?> o -> assertIndependent(o.orElse(null), ((Optional<?>) copy).orElse(null), where + ".get()");
            case Record r -> {
                for (RecordComponent component : r.getClass().getRecordComponents()) {
                    try {
                        component.getAccessor().setAccessible(true);
                        assertIndependent(component.getAccessor().invoke(original), component.getAccessor().invoke(copy),
                                where + "." + component.getName());
                    } catch (ReflectiveOperationException e) {
                        throw new AssertionError(e);
                    }
                }
            }
            default -> {
                if (original.getClass().isArray()) {
                    assertNotSame(original, copy, where + ": an array is shared");
                    assertEquals(Array.getLength(original), Array.getLength(copy), where);
                }
            }
        }
    }
}
