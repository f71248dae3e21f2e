package io.sluice.api.types;

import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The serializers Sluice provides, and their derivation from Java types.
 *
 * <p>Supported: the eight primitives and their boxes, {@code String}, {@code byte[]}, enums, records,
 * {@code List}, {@code Map} and {@code Optional}, nested arbitrarily. Anything else is rejected when the job is
 * built with an {@link UnsupportedTypeException} that names the type and the fix; there is no silent generic
 * fallback.
 *
 * <p>Null handling: the constants and the container serializers reject {@code null} (no marker byte on the
 * fast path). {@link #nullable} adds a one-byte null marker. In records derived by {@link #of}, components of
 * reference types are nullable and primitives are not; elements of a {@code List}, keys and values of a
 * {@code Map} and the value of an {@code Optional} derived by {@link #of} are not nullable; use e.g.
 * {@code Types.list(Types.nullable(Types.STRING))} where null elements occur.
 *
 * <p>Collections read back as mutable {@link java.util.ArrayList} and {@link java.util.LinkedHashMap} (the map
 * keeps the iteration order it was written in), whatever implementation was written.
 *
 * <p>Each serializer also {@linkplain TypeSerializer#copy deep-copies} its values without bytes: strings, boxes,
 * enums and records whose components are all of such types are {@linkplain TypeSerializer#isImmutableType immutable}
 * and not copied at all; {@code byte[]}, lists and maps are (as {@code ArrayList} and {@code LinkedHashMap}).
 *
 * <p>All serializers are immutable, thread-safe and {@link java.io.Serializable}, and have value-based
 * {@code equals}/{@code hashCode}: two {@code Types.list(Types.STRING)} are equal. This class is stateless and
 * thread-safe.
 */
public final class Types {

    /** Any {@code String} (including unpaired surrogates and more than 64 KB), as a length and WTF-8 bytes. */
    public static final TypeSerializer<String> STRING = StringSerializer.INSTANCE;
    public static final TypeSerializer<Long> LONG = PrimitiveSerializers.LongSerializer.INSTANCE;
    public static final TypeSerializer<Integer> INT = PrimitiveSerializers.IntSerializer.INSTANCE;
    public static final TypeSerializer<Short> SHORT = PrimitiveSerializers.ShortSerializer.INSTANCE;
    public static final TypeSerializer<Byte> BYTE = PrimitiveSerializers.ByteSerializer.INSTANCE;
    /** Exact bits, including NaN payloads and {@code -0.0}. */
    public static final TypeSerializer<Double> DOUBLE = PrimitiveSerializers.DoubleSerializer.INSTANCE;
    /** Exact bits, including NaN payloads and {@code -0.0f}. */
    public static final TypeSerializer<Float> FLOAT = PrimitiveSerializers.FloatSerializer.INSTANCE;
    public static final TypeSerializer<Boolean> BOOLEAN = PrimitiveSerializers.BooleanSerializer.INSTANCE;
    public static final TypeSerializer<Character> CHAR = PrimitiveSerializers.CharSerializer.INSTANCE;
    public static final TypeSerializer<byte[]> BYTES = BytesSerializer.INSTANCE;

    private Types() {}

    /**
     * {@code serializer} made to accept {@code null}, at the cost of one marker byte per value. Returns
     * {@code serializer} itself if it already accepts null, so wrapping twice adds nothing.
     */
    public static <T> TypeSerializer<T> nullable(TypeSerializer<T> serializer) {
        Objects.requireNonNull(serializer, "serializer");
        return serializer.acceptsNull() ? serializer : new NullableSerializer<>(serializer);
    }

    /** Lists of {@code element}s; reads produce an {@link java.util.ArrayList}. */
    public static <E> TypeSerializer<List<E>> list(TypeSerializer<E> element) {
        return new ListSerializer<>(element);
    }

    /** Maps; reads produce a {@link java.util.LinkedHashMap} with the entries in the order they were written. */
    public static <K, V> TypeSerializer<Map<K, V>> map(TypeSerializer<K> key, TypeSerializer<V> value) {
        return new MapSerializer<>(key, value);
    }

    /** {@code Optional}s of {@code value}s. */
    public static <E> TypeSerializer<Optional<E>> optional(TypeSerializer<E> value) {
        return new OptionalSerializer<>(value);
    }

    /**
     * The serializer for a class: a primitive ({@code int.class} gives {@link #INT}) or its box, {@code String},
     * {@code byte[]}, an enum (written as its ordinal) or a non-generic record (its components' generic types
     * are followed, so components such as {@code List<String>}, {@code Map<String, Integer>},
     * {@code Optional<Long>}, enums and other records work, and a record may contain itself).
     *
     * @throws UnsupportedTypeException for any other class, naming the type and the fix
     */
    @SuppressWarnings("unchecked")
    public static <T> TypeSerializer<T> of(Class<T> type) {
        return (TypeSerializer<T>) of((Type) type);
    }

    /**
     * The serializer for a reflected type: a supported {@link Class} as in {@link #of(Class)}, or a
     * {@link java.lang.reflect.ParameterizedType} of {@code List}, {@code Map}, {@code Optional} or a generic
     * record. Besides {@code List} and {@code Map}, the declared types {@code ArrayList} and {@code AbstractList},
     * {@code HashMap}, {@code LinkedHashMap} and {@code AbstractMap} are accepted, read back as {@code ArrayList}
     * and {@code LinkedHashMap}; other collection types ({@code Collection}, {@code Set}, {@code LinkedList}...)
     * are not supported.
     *
     * @throws UnsupportedTypeException for raw {@code List}/{@code Map}/{@code Optional}, type variables,
     *     wildcards, {@code Object}, interfaces, other classes and arrays other than {@code byte[]}; the
     *     message names the type (and the record component it was found in) and the fix
     */
    public static TypeSerializer<?> of(Type type) {
        Objects.requireNonNull(type, "type");
        return new SerializerFactory().build(type);
    }
}
