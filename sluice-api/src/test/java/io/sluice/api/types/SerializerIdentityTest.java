package io.sluice.api.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The identities of serializers: stable names of their binary formats, compared when state is restored. */
class SerializerIdentityTest {
    enum Color { RED, GREEN }

    record Point(long x, long y) {}

    record PointWithIntY(long x, int y) {}

    record Named(String name, List<Point> points) {}

    record Tree(String label, List<Tree> children) {}

    record Pair<A, B>(A first, B second) {}

    record PairHolder(Pair<String, Long> a, Pair<String, Integer> b) {}

    /** A user serializer without an identity of its own. */
    static class Custom implements TypeSerializer<String> {
        @Override
        public void serialize(String value, DataOutput out) throws IOException {
            out.writeUTF(value);
        }

        @Override
        public String deserialize(DataInput in) throws IOException {
            return in.readUTF();
        }

        @Override
        public String typeName() {
            return "Custom";
        }
    }

    @Test
    void builtInsAreNamedByTheirFormatNotTheirClasses() {
        assertEquals(SerializerIdentity.of("long"), Types.LONG.identity());
        assertEquals(SerializerIdentity.of("int"), Types.INT.identity());
        assertEquals(SerializerIdentity.of("string"), Types.STRING.identity());
        assertEquals(SerializerIdentity.of("bytes"), Types.BYTES.identity());
        assertEquals(SerializerIdentity.of("list<long>"), Types.list(Types.LONG).identity());
        assertEquals(SerializerIdentity.of("map<string, list<int>>"), Types.map(Types.STRING, Types.list(Types.INT)).identity());
        assertEquals(SerializerIdentity.of("optional<double>"), Types.optional(Types.DOUBLE).identity());
        assertEquals(SerializerIdentity.of("nullable<long>"), Types.nullable(Types.LONG).identity());
        assertEquals(SerializerIdentity.of("enum " + Color.class.getName()), Types.of(Color.class).identity());
    }

    @Test
    void aRecordIsItsTypeAndItsComponentsFormats() {
        String point = "record " + Point.class.getName() + "(long, long)";
        assertEquals(point, Types.of(Point.class).identity().id());
        // reference components may be null: their formats carry a marker byte
        assertEquals("record " + Named.class.getName() + "(nullable<string>, nullable<list<" + point + ">>)",
                Types.of(Named.class).identity().id());
        assertEquals(Types.of(Point.class).identity(), Types.of(Point.class).identity(), "stable across calls");
        assertNotEquals(Types.of(Point.class).identity().id().replace(Point.class.getName(), ""),
                Types.of(PointWithIntY.class).identity().id().replace(PointWithIntY.class.getName(), ""),
                "a component of another type changes the format");
    }

    @Test
    void aRecordContainingItselfHasAFiniteIdentity() {
        String tree = Tree.class.getName();
        assertEquals("record " + tree + "(nullable<string>, nullable<list<record " + tree + ">>)", Types.of(Tree.class).identity().id());
    }

    @Test
    void typeArgumentsOfAGenericRecordAreOfItsIdentity() {
        String id = Types.of(PairHolder.class).identity().id();
        assertTrue(id.contains("<java.lang.String, java.lang.Long>(nullable<string>, nullable<long>)")
                && id.contains("<java.lang.String, java.lang.Integer>(nullable<string>, nullable<int>)"), id);
    }

    @Test
    void aUserSerializerIsNamedByItsClassByDefault() {
        assertEquals(new SerializerIdentity(Custom.class.getName(), 1), new Custom().identity());
        assertEquals("list<" + Custom.class.getName() + ">", Types.list(new Custom()).identity().id());
    }

    @Test
    void versionsAboveOneShowInCompositeIds() {
        TypeSerializer<String> v2 = new Custom() {
            @Override
            public SerializerIdentity identity() {
                return new SerializerIdentity("my-format", 2);
            }
        };
        assertEquals("list<my-format@2>", Types.list(v2).identity().id());
        assertEquals("optional<my-format@2>", Types.optional(v2).identity().id());
        assertNotEquals(new SerializerIdentity("my-format", 1), v2.identity());
    }

    @Test
    void identitiesNeedANameAndAPositiveVersion() {
        assertThrows(IllegalArgumentException.class, () -> new SerializerIdentity(" ", 1));
        assertThrows(IllegalArgumentException.class, () -> new SerializerIdentity("x", 0));
        assertThrows(NullPointerException.class, () -> new SerializerIdentity(null, 1));
    }
}
