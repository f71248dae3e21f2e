package io.sluice.api.types;

import static io.sluice.api.types.RoundTrip.bytes;
import static io.sluice.api.types.RoundTrip.javaRoundTrip;
import static io.sluice.api.types.RoundTrip.roundTrip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ContainerTypesTest {

    @Test
    void nullableAddsOneMarkerByte() {
        TypeSerializer<String> s = Types.nullable(Types.STRING);
        assertTrue(s.acceptsNull());
        assertNull(roundTrip(s, null));
        assertEquals("x", roundTrip(s, "x"));
        assertEquals(1, bytes(s, null).length);
        assertEquals(1 + bytes(Types.STRING, "x").length, bytes(s, "x").length);
        assertEquals("String", s.typeName());
        assertNull(roundTrip(Types.nullable(Types.LONG), null));
    }

    @Test
    void nullableIsIdempotent() {
        TypeSerializer<String> once = Types.nullable(Types.STRING);
        assertSame(once, Types.nullable(once));
    }

    @Test
    void listsRoundTripAsArrayList() {
        TypeSerializer<List<String>> s = Types.list(Types.STRING);
        assertEquals(List.of(), roundTrip(s, List.of()));
        assertEquals(List.of("a", "b", "c"), roundTrip(s, List.of("a", "b", "c")));
        assertEquals(List.of("x", "y"), roundTrip(s, new LinkedList<>(List.of("x", "y"))));
        assertInstanceOf(ArrayList.class, roundTrip(s, List.of("a")));
        assertEquals(1, bytes(s, List.of()).length);
    }

    @Test
    void listWithNullableElementsKeepsNulls() {
        TypeSerializer<List<Integer>> s = Types.list(Types.nullable(Types.INT));
        List<Integer> withNulls = Arrays.asList(1, null, 3, null);
        assertEquals(withNulls, roundTrip(s, withNulls));
    }

    @Test
    void nullElementInNonNullableListFails() {
        TypeSerializer<List<Integer>> s = Types.list(Types.INT);
        assertThrows(NullPointerException.class, () -> bytes(s, Arrays.asList(1, null)));
    }

    @Test
    void mapsRoundTripInInsertionOrder() {
        TypeSerializer<Map<String, Long>> s = Types.map(Types.STRING, Types.LONG);
        assertEquals(Map.of(), roundTrip(s, Map.of()));
        Map<String, Long> map = new LinkedHashMap<>();
        map.put("zeta", 1L);
        map.put("alpha", 2L);
        map.put("mid", 3L);
        Map<String, Long> read = roundTrip(s, map);
        assertEquals(map, read);
        assertInstanceOf(LinkedHashMap.class, read);
        assertEquals(List.of("zeta", "alpha", "mid"), new ArrayList<>(read.keySet()));
        // a sorted map is written in its iteration order, which the LinkedHashMap keeps
        assertEquals(List.of("alpha", "mid", "zeta"), new ArrayList<>(roundTrip(s, new TreeMap<>(map)).keySet()));
    }

    @Test
    void mapWithNullableValues() {
        TypeSerializer<Map<String, String>> s = Types.map(Types.STRING, Types.nullable(Types.STRING));
        Map<String, String> map = new LinkedHashMap<>();
        map.put("a", null);
        map.put("b", "x");
        assertEquals(map, roundTrip(s, map));
    }

    @Test
    void optionalsRoundTrip() {
        TypeSerializer<Optional<Integer>> s = Types.optional(Types.INT);
        assertEquals(Optional.empty(), roundTrip(s, Optional.empty()));
        assertEquals(Optional.of(42), roundTrip(s, Optional.of(42)));
        assertEquals(1, bytes(s, Optional.empty()).length);
    }

    @Test
    void nestedContainers() {
        TypeSerializer<Map<String, List<Optional<byte[]>>>> s =
                Types.map(Types.STRING, Types.list(Types.optional(Types.BYTES)));
        Map<String, List<Optional<byte[]>>> value = new LinkedHashMap<>();
        value.put("a", List.of(Optional.of(new byte[] {1, 2}), Optional.empty()));
        value.put("b", List.of());
        Map<String, List<Optional<byte[]>>> read = roundTrip(s, value);
        assertEquals(2, read.get("a").size());
        assertEquals(List.of((byte) 1, (byte) 2), toList(read.get("a").get(0).orElseThrow()));
        assertTrue(read.get("a").get(1).isEmpty());
        assertEquals(List.of(), read.get("b"));
    }

    private static List<Byte> toList(byte[] bytes) {
        List<Byte> list = new ArrayList<>();
        for (byte b : bytes) {
            list.add(b);
        }
        return list;
    }

    @Test
    void equalityAndHashCodeAreByStructure() {
        assertEquals(Types.list(Types.STRING), Types.list(Types.STRING));
        assertEquals(Types.list(Types.STRING).hashCode(), Types.list(Types.STRING).hashCode());
        assertNotEquals(Types.list(Types.STRING), Types.list(Types.LONG));
        assertEquals(Types.map(Types.STRING, Types.LONG), Types.map(Types.STRING, Types.LONG));
        assertNotEquals(Types.map(Types.STRING, Types.LONG), Types.map(Types.LONG, Types.STRING));
        assertEquals(Types.optional(Types.INT), Types.optional(Types.INT));
        assertEquals(Types.nullable(Types.STRING), Types.nullable(Types.STRING));
        assertNotEquals(Types.nullable(Types.STRING), Types.STRING);
        assertNotEquals(Types.list(Types.STRING), Types.optional(Types.STRING));
    }

    @Test
    void typeNames() {
        assertEquals("List<String>", Types.list(Types.STRING).typeName());
        assertEquals("Map<String, Long>", Types.map(Types.STRING, Types.LONG).typeName());
        assertEquals("Optional<Integer>", Types.optional(Types.INT).typeName());
        assertEquals("List<Map<String, byte[]>>", Types.list(Types.map(Types.STRING, Types.BYTES)).typeName());
    }

    @Test
    void containersSurviveJavaSerialization() {
        TypeSerializer<Map<String, List<Optional<Long>>>> s =
                Types.map(Types.STRING, Types.list(Types.optional(Types.nullable(Types.LONG))));
        TypeSerializer<Map<String, List<Optional<Long>>>> copy = javaRoundTrip(s);
        assertEquals(s, copy);
        Map<String, List<Optional<Long>>> value = Map.of("k", List.of(Optional.of(1L), Optional.empty()));
        assertEquals(value, roundTrip(copy, value));
    }
}
