package io.sluice.api.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UnsupportedTypesTest {

    static class PlainClass {}

    record HasPlainClass(String name, List<PlainClass> things) {}

    record Outer(Inner inner) {}

    record Inner(Object payload) {}

    record Pair<A, B>(A first, B second) {}

    /** Fields whose generic types are the awkward cases. */
    @SuppressWarnings("unused")
    static class Declarations<T> {
        List<T> typeVariableElement;
        List<? extends Number> wildcard;
        List<String>[] genericArray;
        Set<String> set;
        LinkedList<String> linkedList;
        ArrayList<String> arrayList;
        HashMap<String, Integer> hashMap;
        Pair<?, String> wildcardPair;

        static Type of(String field) {
            try {
                return Declarations.class.getDeclaredField(field).getGenericType();
            } catch (NoSuchFieldException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static String message(Type type) {
        return assertThrows(UnsupportedTypeException.class, () -> Types.of(type)).getMessage();
    }

    @Test
    void rawListNamesTheTypeAndTheFix() {
        assertEquals("Cannot serialize type java.util.List (raw, element type unknown). Fix: declare the type "
                + "explicitly, e.g. .returns(Types.list(Types.STRING)).", message(List.class));
        assertTrue(message(Map.class).contains("java.util.Map (raw, key and value types unknown)"));
        assertTrue(message(Optional.class).contains("java.util.Optional (raw, value type unknown)"));
        assertTrue(message(ArrayList.class).contains("java.util.ArrayList (raw"));
    }

    @Test
    void plainClassNamesTheTypeAndTheFix() {
        String name = PlainClass.class.getName();
        assertEquals("Type " + name + " is not supported: Sluice serializes records, enums, primitives, String, "
                + "byte[], List, Map and Optional. Fix: make " + name + " a record, or pass your own "
                + "TypeSerializer with .returns(...).", message(PlainClass.class));
    }

    @Test
    void objectInterfacesAndArrays() {
        assertTrue(message(Object.class).contains("java.lang.Object"));
        assertTrue(message(Runnable.class).contains("Type java.lang.Runnable is not supported"));
        assertTrue(message(Number.class).contains("java.lang.Number"));
        assertTrue(message(int[].class).contains("array type int[]"));
        assertTrue(message(String[].class).contains("java.lang.String[]"));
        assertTrue(message(void.class).contains("void"));
    }

    @Test
    void typeVariablesWildcardsAndOtherCollections() {
        assertTrue(message(Declarations.of("typeVariableElement")).contains("type variable T"));
        assertTrue(message(Declarations.of("wildcard")).contains("? extends java.lang.Number"));
        assertTrue(message(Declarations.of("genericArray")).contains("java.util.List<java.lang.String>[]"));
        assertTrue(message(Declarations.of("set")).contains("java.util.Set<java.lang.String>"));
        assertTrue(message(Declarations.of("linkedList")).contains("java.util.LinkedList<java.lang.String>"));
        assertTrue(message(Declarations.of("wildcardPair")).contains("wildcard"));
    }

    @Test
    void arrayListAndHashMapMapToListAndMapSerializers() {
        assertEquals(Types.list(Types.STRING), Types.of(Declarations.of("arrayList")));
        assertEquals(Types.map(Types.STRING, Types.INT), Types.of(Declarations.of("hashMap")));
    }

    @Test
    void unsupportedRecordComponentIsLocated() {
        String m = message(HasPlainClass.class);
        assertTrue(m.contains(PlainClass.class.getName()), m);
        assertTrue(m.contains("(in record component HasPlainClass.things)"), m);

        String nested = message(Outer.class);
        assertTrue(nested.contains("java.lang.Object"), nested);
        assertTrue(nested.contains("Outer.inner -> Inner.payload"), nested);
    }

    @Test
    void rawGenericRecord() {
        String m = message(Pair.class);
        assertTrue(m.contains("generic record " + Pair.class.getName()), m);
        assertTrue(m.contains("A, B unknown"), m);
    }

    @Test
    void isAnIllegalArgumentException() {
        assertThrows(IllegalArgumentException.class, () -> Types.of(PlainClass.class));
    }
}
