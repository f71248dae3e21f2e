package io.sluice.api.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TypeInferenceTest {

    /** Stands in for Sluice's function interfaces: generic, functional and serializable. */
    interface Fn<A, B> extends Serializable {
        B apply(A a);
    }

    interface StringFn<B> extends Fn<String, B> {}

    interface VoidFn<A> extends Serializable {
        void accept(A a);
    }

    interface PlainFn<A, B> {
        B apply(A a);
    }

    record Word(String text, int count) {}

    abstract static class Base<T> implements Fn<String, List<T>> {}

    static class Lengths extends Base<Integer> {
        @Override
        public List<Integer> apply(String s) {
            return List.of(s.length());
        }
    }

    static class ToWord implements Fn<String, Word> {
        @Override
        public Word apply(String s) {
            return new Word(s, 1);
        }
    }

    static class Identity<T> implements Fn<T, T> {
        @Override
        public T apply(T t) {
            return t;
        }
    }

    static List<String> split(String s) {
        return List.of(s.split(" "));
    }

    static <R> Fn<String, R> constant(R value) {
        return s -> value;
    }

    private static Optional<Type> returnOf(Object fn) {
        return TypeInference.lambdaReturnType(fn);
    }

    // ---- classes ----

    @Test
    void anonymousClass() {
        Fn<String, Integer> fn = new Fn<>() {
            @Override
            public Integer apply(String s) {
                return s.length();
            }
        };
        assertEquals(Optional.of(String.class), TypeInference.typeArgument(fn, Fn.class, 0));
        assertEquals(Optional.of(Integer.class), TypeInference.typeArgument(fn, Fn.class, 1));
    }

    @Test
    void anonymousClassThroughASuperinterface() {
        StringFn<Long> fn = new StringFn<>() {
            @Override
            public Long apply(String s) {
                return 1L;
            }
        };
        assertEquals(Optional.of(String.class), TypeInference.typeArgument(fn, Fn.class, 0));
        assertEquals(Optional.of(Long.class), TypeInference.typeArgument(fn, Fn.class, 1));
    }

    @Test
    void namedClassThroughAGenericSuperclass() {
        Type output = TypeInference.typeArgument(new Lengths(), Fn.class, 1).orElseThrow();
        ParameterizedType list = assertInstanceOf(ParameterizedType.class, output);
        assertEquals(List.class, list.getRawType());
        assertEquals(Integer.class, list.getActualTypeArguments()[0]);
        assertEquals(Types.list(Types.INT), Types.of(output));
    }

    @Test
    void namedClassDirectly() {
        assertEquals(Optional.of(Word.class), TypeInference.typeArgument(new ToWord(), Fn.class, 1));
    }

    @Test
    void remainingTypeVariableIsUnknown() {
        assertEquals(Optional.empty(), TypeInference.typeArgument(new Identity<String>(), Fn.class, 1));
    }

    @Test
    void lambdasAreUnknownToTheClassPath() {
        Fn<String, Integer> fn = String::length;
        assertEquals(Optional.empty(), TypeInference.typeArgument(fn, Fn.class, 1));
    }

    @Test
    void badIndex() {
        assertThrows(IllegalArgumentException.class, () -> TypeInference.typeArgument(new ToWord(), Fn.class, 2));
    }

    @Test
    void functionNotImplementingTheInterface() {
        assertEquals(Optional.empty(), TypeInference.typeArgument("not a function", Fn.class, 0));
    }

    // ---- lambdas and method references ----

    @Test
    void methodReferenceIsBoxed() {
        Fn<String, Integer> fn = String::length;
        assertEquals(Optional.of(Integer.class), returnOf(fn));
        assertEquals(Optional.of(String.class), TypeInference.lambdaParameterType(fn, 0));
    }

    @Test
    void recordAccessorReference() {
        Fn<Word, String> text = Word::text;
        assertEquals(Optional.of(String.class), returnOf(text));
        assertEquals(Optional.of(Word.class), TypeInference.lambdaParameterType(text, 0));
        Fn<Word, Integer> count = Word::count;
        assertEquals(Optional.of(Integer.class), returnOf(count));
    }

    @Test
    void lambdaReturningARecord() {
        Fn<String, Word> fn = s -> new Word(s, 1);
        assertEquals(Optional.of(Word.class), returnOf(fn));
        assertEquals(Optional.of(String.class), TypeInference.lambdaParameterType(fn, 0));
        assertEquals(Types.of(Word.class), Types.of(returnOf(fn).orElseThrow()));
    }

    /** Documented behaviour: a lambda body's signature is erased, so the result is the raw List class. */
    @Test
    void lambdaReturningAListGivesTheRawList() {
        Fn<String, List<String>> fn = s -> List.of(s);
        assertEquals(Optional.of(List.class), returnOf(fn));
        UnsupportedTypeException e = assertThrows(UnsupportedTypeException.class,
                () -> Types.of(returnOf(fn).orElseThrow()));
        assertTrue(e.getMessage().contains("raw, element type unknown"), e.getMessage());
    }

    @Test
    void methodReferenceKeepsGenericReturnType() {
        Fn<String, List<String>> fn = TypeInferenceTest::split;
        Type type = returnOf(fn).orElseThrow();
        assertInstanceOf(ParameterizedType.class, type);
        assertEquals(Types.list(Types.STRING), Types.of(type));
    }

    @Test
    void genericMethodReferenceFallsBackToTheErasure() {
        Fn<String, List<String>> fn = List::of;
        assertEquals(Optional.of(List.class), returnOf(fn));
    }

    @Test
    void capturingLambdaSkipsCapturedArguments() {
        int offset = 3;
        Fn<String, Integer> fn = s -> s.length() + offset;
        assertEquals(Optional.of(Integer.class), returnOf(fn));
        assertEquals(Optional.of(String.class), TypeInference.lambdaParameterType(fn, 0));
        assertEquals(Optional.empty(), TypeInference.lambdaParameterType(fn, 1));
    }

    @Test
    void boundMethodReference() {
        String prefix = "x";
        Fn<String, Boolean> fn = prefix::startsWith;
        assertEquals(Optional.of(Boolean.class), returnOf(fn));
        assertEquals(Optional.of(String.class), TypeInference.lambdaParameterType(fn, 0));
    }

    @Test
    void constructorReference() {
        Fn<String, StringBuilder> fn = StringBuilder::new;
        assertEquals(Optional.of(StringBuilder.class), returnOf(fn));
        assertEquals(Optional.of(String.class), TypeInference.lambdaParameterType(fn, 0));
    }

    @Test
    void erasedTypeVariableIsUnknown() {
        Fn<String, Word> fn = constant(new Word("w", 1));
        assertEquals(Optional.empty(), returnOf(fn));
        Fn<String, Object> object = s -> s;
        assertEquals(Optional.empty(), returnOf(object));
    }

    @Test
    void voidIsUnknown() {
        VoidFn<String> fn = s -> {};
        assertEquals(Optional.empty(), returnOf(fn));
        assertEquals(Optional.of(String.class), TypeInference.lambdaParameterType(fn, 0));
    }

    @Test
    void nonSerializableLambdasAndPlainObjectsAreUnknown() {
        PlainFn<String, Integer> fn = String::length;
        assertEquals(Optional.empty(), returnOf(fn));
        assertEquals(Optional.empty(), returnOf(new ToWord()));
        assertEquals(Optional.empty(), TypeInference.lambdaParameterType(new ToWord(), 0));
    }
}
