package io.sluice.api.types;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Small reflection helpers over {@link Type}: substituting type variables, and naming types. Stateless.
 */
final class GenericTypes {

    private GenericTypes() {}

    /** Binds the type parameters of {@code raw} to {@code arguments}, position by position. */
    static Map<TypeVariable<?>, Type> bindings(Class<?> raw, Type[] arguments) {
        TypeVariable<?>[] parameters = raw.getTypeParameters();
        Map<TypeVariable<?>, Type> bindings = new HashMap<>();
        for (int i = 0; i < parameters.length && i < arguments.length; i++) {
            bindings.put(parameters[i], arguments[i]);
        }
        return bindings;
    }

    /**
     * Replaces the type variables in {@code type} that {@code bindings} knows. Unknown variables and wildcards
     * stay as they are, so the result may still contain type variables (see {@link #containsTypeVariable}).
     */
    static Type resolve(Type type, Map<TypeVariable<?>, Type> bindings) {
        if (bindings.isEmpty()) {
            return type;
        }
        return switch (type) {
            case TypeVariable<?> variable -> bindings.getOrDefault(variable, variable);
            case ParameterizedType parameterized -> {
                Type[] arguments = parameterized.getActualTypeArguments().clone();
                for (int i = 0; i < arguments.length; i++) {
                    arguments[i] = resolve(arguments[i], bindings);
                }
                Type owner = parameterized.getOwnerType();
                yield new Parameterized((Class<?>) parameterized.getRawType(), arguments,
                        owner == null ? null : resolve(owner, bindings));
            }
            case GenericArrayType array -> {
                Type component = resolve(array.getGenericComponentType(), bindings);
                yield component instanceof Class<?> c ? c.arrayType() : new GenericArray(component);
            }
            default -> type;
        };
    }

    static boolean containsTypeVariable(Type type) {
        return switch (type) {
            case TypeVariable<?> ignored -> true;
            case ParameterizedType parameterized ->
                    Arrays.stream(parameterized.getActualTypeArguments()).anyMatch(GenericTypes::containsTypeVariable);
            case GenericArrayType array -> containsTypeVariable(array.getGenericComponentType());
            case WildcardType wildcard ->
                    Arrays.stream(wildcard.getUpperBounds()).anyMatch(GenericTypes::containsTypeVariable)
                            || Arrays.stream(wildcard.getLowerBounds()).anyMatch(GenericTypes::containsTypeVariable);
            default -> false;
        };
    }

    /** The wrapper class of a primitive class; any other class unchanged. */
    static Class<?> box(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        return switch (type.getName()) {
            case "int" -> Integer.class;
            case "long" -> Long.class;
            case "short" -> Short.class;
            case "byte" -> Byte.class;
            case "double" -> Double.class;
            case "float" -> Float.class;
            case "boolean" -> Boolean.class;
            case "char" -> Character.class;
            default -> Void.class;
        };
    }

    /**
     * A fully qualified, canonical name: equal types (whichever {@link Type} implementation) give equal keys,
     * e.g. {@code com.x.Pair<java.lang.String, java.lang.Long>}.
     */
    static String key(Type type) {
        return switch (type) {
            case Class<?> c -> c.getName();
            case ParameterizedType p -> key(p.getRawType()) + Arrays.stream(p.getActualTypeArguments())
                    .map(GenericTypes::key).collect(Collectors.joining(", ", "<", ">"));
            case GenericArrayType a -> key(a.getGenericComponentType()) + "[]";
            default -> type.getTypeName();
        };
    }

    /** A short readable name for messages and {@link TypeSerializer#typeName()}, e.g. {@code Pair<String, Long>}. */
    static String simpleName(Type type) {
        return switch (type) {
            case Class<?> c -> c.getSimpleName();
            case ParameterizedType p -> simpleName(p.getRawType()) + Arrays.stream(p.getActualTypeArguments())
                    .map(GenericTypes::simpleName).collect(Collectors.joining(", ", "<", ">"));
            case GenericArrayType a -> simpleName(a.getGenericComponentType()) + "[]";
            default -> type.getTypeName();
        };
    }

    /** A parameterized type built by {@link #resolve}; equal to the JDK's own implementation of the same type. */
    static final class Parameterized implements ParameterizedType {
        private final Class<?> raw;
        private final Type[] arguments;
        private final Type owner;

        Parameterized(Class<?> raw, Type[] arguments, Type owner) {
            this.raw = Objects.requireNonNull(raw, "raw");
            this.arguments = arguments.clone();
            this.owner = owner;
        }

        @Override
        public Type[] getActualTypeArguments() {
            return arguments.clone();
        }

        @Override
        public Type getRawType() {
            return raw;
        }

        @Override
        public Type getOwnerType() {
            return owner;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ParameterizedType other
                    && raw.equals(other.getRawType())
                    && Objects.equals(owner, other.getOwnerType())
                    && Arrays.equals(arguments, other.getActualTypeArguments());
        }

        /** The same formula as the JDK's implementation, so that mixed hash-based collections work. */
        @Override
        public int hashCode() {
            return Arrays.hashCode(arguments) ^ Objects.hashCode(owner) ^ raw.hashCode();
        }

        @Override
        public String getTypeName() {
            return key(this);
        }

        @Override
        public String toString() {
            return getTypeName();
        }
    }

    /** A generic array type built by {@link #resolve}. */
    static final class GenericArray implements GenericArrayType {
        private final Type component;

        GenericArray(Type component) {
            this.component = Objects.requireNonNull(component, "component");
        }

        @Override
        public Type getGenericComponentType() {
            return component;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof GenericArrayType other && component.equals(other.getGenericComponentType());
        }

        @Override
        public int hashCode() {
            return component.hashCode();
        }

        @Override
        public String getTypeName() {
            return key(this);
        }

        @Override
        public String toString() {
            return getTypeName();
        }
    }
}
