package io.sluice.api.types;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Derives a serializer from a reflected {@link Type}; the implementation of {@link Types#of(Type)}.
 *
 * <p>One instance per top-level call, not thread-safe: it remembers the records it has built, so that a
 * record reached twice shares one serializer and a recursive record refers back to itself instead of
 * recursing forever, and it tracks the record components it is inside, for error messages.
 */
final class SerializerFactory {

    private static final String SUPPORTED =
            "Sluice serializes records, enums, primitives, String, byte[], List, Map and Optional";
    private static final String OWN_SERIALIZER = "pass your own TypeSerializer with .returns(...)";

    /** By {@link GenericTypes#key}: records built or being built by this factory. */
    private final Map<String, RecordSerializer<?>> records = new HashMap<>();
    /** The record components being resolved, outermost first, e.g. {@code Order.lines}, {@code Line.item}. */
    private final Deque<String> path = new ArrayDeque<>();

    /** The serializer of {@code type}, every record in it complete: the entry point, once per factory. */
    TypeSerializer<?> build(Type type) {
        TypeSerializer<?> serializer = create(type);
        markImmutableRecords();
        return serializer;
    }

    /**
     * Marks each record built here immutable if all its components' types are. Records may refer to each other in a
     * cycle, so this starts from "all immutable" and takes it back from a record with a mutable component until
     * nothing changes: a record that reaches itself only through immutable types stays immutable.
     */
    private void markImmutableRecords() {
        for (RecordSerializer<?> record : records.values()) {
            record.markImmutable(true);
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (RecordSerializer<?> record : records.values()) {
                if (record.isImmutableType() && !record.componentsImmutable()) {
                    record.markImmutable(false);
                    changed = true;
                }
            }
        }
    }

    private TypeSerializer<?> create(Type type) {
        return switch (type) {
            case Class<?> c -> forClass(c);
            case ParameterizedType p -> forParameterized(p);
            case TypeVariable<?> v -> throw unsupported("Cannot serialize type variable " + v.getName()
                    + " (declared by " + declarer(v) + "): its actual type is unknown when the job is built",
                    "declare the type explicitly, e.g. .returns(Types.STRING) or .returns(Types.of(MyRecord.class)).");
            case WildcardType w -> throw unsupported("Cannot serialize wildcard type " + w.getTypeName(),
                    "declare a concrete type, e.g. List<Foo> instead of List<? extends Foo>, or " + OWN_SERIALIZER + ".");
            case GenericArrayType a -> throw unsupportedArray(a);
            default -> throw unsupported("Type " + type.getTypeName() + " is not supported: " + SUPPORTED,
                    OWN_SERIALIZER + ".");
        };
    }

    private TypeSerializer<?> forClass(Class<?> c) {
        TypeSerializer<?> primitive = PrimitiveSerializers.forClass(c);
        if (primitive != null) {
            return primitive;
        }
        if (c == void.class || c == Void.class) {
            throw unsupported("Cannot serialize type " + c.getName() + ": there are no values to serialize",
                    "declare the type explicitly with .returns(...).");
        }
        if (c == String.class) {
            return Types.STRING;
        }
        if (c == byte[].class) {
            return Types.BYTES;
        }
        if (c.isArray()) {
            throw unsupportedArray(c);
        }
        Class<?> enumType = enumType(c);
        if (enumType != null) {
            return enumSerializer(enumType);
        }
        if (c.isRecord()) {
            if (c.getTypeParameters().length > 0) {
                String parameters = Arrays.stream(c.getTypeParameters())
                        .map(TypeVariable::getName).collect(Collectors.joining(", "));
                throw unsupported("Cannot serialize generic record " + c.getName() + " without its type arguments ("
                        + parameters + " unknown)", "declare the type explicitly with .returns(...), "
                        + "or use a non-generic record.");
            }
            return record(c, c, Map.of());
        }
        if (isListType(c)) {
            throw unsupported("Cannot serialize type " + c.getName() + " (raw, element type unknown)",
                    "declare the type explicitly, e.g. .returns(Types.list(Types.STRING)).");
        }
        if (isMapType(c)) {
            throw unsupported("Cannot serialize type " + c.getName() + " (raw, key and value types unknown)",
                    "declare the type explicitly, e.g. .returns(Types.map(Types.STRING, Types.LONG)).");
        }
        if (c == Optional.class) {
            throw unsupported("Cannot serialize type " + c.getName() + " (raw, value type unknown)",
                    "declare the type explicitly, e.g. .returns(Types.optional(Types.STRING)).");
        }
        if (c == Object.class) {
            throw unsupported("Cannot serialize type java.lang.Object: the actual type is unknown "
                    + "(for example erased by generics or a lambda)",
                    "declare the type explicitly, e.g. .returns(Types.STRING) or .returns(Types.of(MyRecord.class)).");
        }
        throw unsupportedClass(c, c);
    }

    private TypeSerializer<?> forParameterized(ParameterizedType p) {
        Class<?> raw = (Class<?>) p.getRawType();
        Type[] arguments = p.getActualTypeArguments();
        if (isListType(raw)) {
            return new ListSerializer<>(create(arguments[0]));
        }
        if (isMapType(raw)) {
            return new MapSerializer<>(create(arguments[0]), create(arguments[1]));
        }
        if (raw == Optional.class) {
            return new OptionalSerializer<>(create(arguments[0]));
        }
        if (raw.isRecord()) {
            return record(raw, p, GenericTypes.bindings(raw, arguments));
        }
        throw unsupportedClass(raw, p);
    }

    /**
     * {@code List}, {@code ArrayList} and the like: types that the {@link ArrayList} read back is an instance
     * of. {@code LinkedList} is not one: a record component of that type could not take an ArrayList.
     */
    private static boolean isListType(Class<?> c) {
        return List.class.isAssignableFrom(c) && c.isAssignableFrom(ArrayList.class);
    }

    /** {@code Map}, {@code HashMap}, {@code LinkedHashMap}: types that a {@link LinkedHashMap} is an instance of. */
    private static boolean isMapType(Class<?> c) {
        return Map.class.isAssignableFrom(c) && c.isAssignableFrom(LinkedHashMap.class);
    }

    /** The enum class of an enum or of an enum constant with a body (an anonymous subclass), else null. */
    private static Class<?> enumType(Class<?> c) {
        if (c.isEnum()) {
            return c;
        }
        Class<?> superclass = c.getSuperclass();
        return superclass != null && superclass.isEnum() ? superclass : null;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static TypeSerializer<?> enumSerializer(Class<?> enumType) {
        return new EnumSerializer(enumType);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private TypeSerializer<?> record(Class<?> raw, Type type, Map<TypeVariable<?>, Type> bindings) {
        String key = GenericTypes.key(type);
        RecordSerializer<?> known = records.get(key);
        if (known != null) {
            return known; // possibly still under construction: a recursive record
        }
        RecordSerializer<?> serializer = new RecordSerializer(raw, key, GenericTypes.simpleName(type));
        records.put(key, serializer);
        RecordComponent[] components = raw.getRecordComponents();
        for (int i = 0; i < components.length; i++) {
            RecordComponent component = components[i];
            path.addLast(raw.getSimpleName() + "." + component.getName());
            try {
                TypeSerializer<?> componentSerializer =
                        create(GenericTypes.resolve(component.getGenericType(), bindings));
                // Reference components may be null in a record; primitives cannot.
                serializer.initComponent(i, component.getType().isPrimitive()
                        ? componentSerializer
                        : Types.nullable(componentSerializer));
            } finally {
                path.removeLast();
            }
        }
        return serializer;
    }

    private UnsupportedTypeException unsupportedClass(Class<?> raw, Type type) {
        String name = type.getTypeName();
        String fix;
        if (Collection.class.isAssignableFrom(raw) || Map.class.isAssignableFrom(raw)) {
            fix = "declare it as List<...> or Map<...> (read back as ArrayList or LinkedHashMap), or "
                    + OWN_SERIALIZER + ".";
        } else if (raw.isInterface() || Modifier.isAbstract(raw.getModifiers())) {
            fix = "use a record type, or " + OWN_SERIALIZER + ".";
        } else {
            fix = "make " + name + " a record, or " + OWN_SERIALIZER + ".";
        }
        return unsupported("Type " + name + " is not supported: " + SUPPORTED, fix);
    }

    private UnsupportedTypeException unsupportedArray(Type type) {
        return unsupported("Cannot serialize array type " + type.getTypeName() + ": the only array supported is byte[]",
                "use a List instead, e.g. Types.list(Types.INT) for int[], or " + OWN_SERIALIZER + ".");
    }

    /** "problem (in record component A.b -> B.c). Fix: fix" */
    private UnsupportedTypeException unsupported(String problem, String fix) {
        String where = path.isEmpty() ? "" : " (in record component " + String.join(" -> ", path) + ")";
        return new UnsupportedTypeException(problem + where + ". Fix: " + fix);
    }

    private static String declarer(TypeVariable<?> variable) {
        return switch (variable.getGenericDeclaration()) {
            case Class<?> c -> c.getName();
            case java.lang.reflect.Executable e -> e.getDeclaringClass().getName() + "." + e.getName();
            default -> String.valueOf(variable.getGenericDeclaration());
        };
    }
}
