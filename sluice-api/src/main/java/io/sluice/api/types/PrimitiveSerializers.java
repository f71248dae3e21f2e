package io.sluice.api.types;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Map;

/**
 * Serializers of the eight boxed primitive types, fixed width and big-endian. None accepts {@code null}: the
 * unboxing in {@code serialize} is the whole fast path; wrap with {@link Types#nullable} where null is legal.
 *
 * <p>Boxes never change, so a {@link TypeSerializer#copy copy} is the value itself.
 *
 * <p>Each is an enum singleton so that Java deserialization of a job graph yields the same instance and
 * equality is identity.
 */
final class PrimitiveSerializers {

    private PrimitiveSerializers() {}

    /** By primitive class and by box class, e.g. both {@code int.class} and {@code Integer.class}. */
    private static final Map<Class<?>, TypeSerializer<?>> BY_CLASS = Map.ofEntries(
            Map.entry(long.class, LongSerializer.INSTANCE),
            Map.entry(Long.class, LongSerializer.INSTANCE),
            Map.entry(int.class, IntSerializer.INSTANCE),
            Map.entry(Integer.class, IntSerializer.INSTANCE),
            Map.entry(short.class, ShortSerializer.INSTANCE),
            Map.entry(Short.class, ShortSerializer.INSTANCE),
            Map.entry(byte.class, ByteSerializer.INSTANCE),
            Map.entry(Byte.class, ByteSerializer.INSTANCE),
            Map.entry(double.class, DoubleSerializer.INSTANCE),
            Map.entry(Double.class, DoubleSerializer.INSTANCE),
            Map.entry(float.class, FloatSerializer.INSTANCE),
            Map.entry(Float.class, FloatSerializer.INSTANCE),
            Map.entry(boolean.class, BooleanSerializer.INSTANCE),
            Map.entry(Boolean.class, BooleanSerializer.INSTANCE),
            Map.entry(char.class, CharSerializer.INSTANCE),
            Map.entry(Character.class, CharSerializer.INSTANCE));

    /** The serializer of a primitive or box class, or {@code null} if {@code type} is neither. */
    static TypeSerializer<?> forClass(Class<?> type) {
        return BY_CLASS.get(type);
    }

    enum LongSerializer implements ImmutableTypeSerializer<Long> {
        INSTANCE;

        @Override
        public void serialize(Long value, DataOutput out) throws IOException {
            out.writeLong(value);
        }

        @Override
        public Long deserialize(DataInput in) throws IOException {
            return in.readLong();
        }

        @Override
        public String typeName() {
            return "Long";
        }

        @Override
        public int fixedLength() {
            return 8;
        }

        @Override
        public SerializerIdentity identity() {
            return SerializerIdentity.of("long");
        }

        @Override
        public String toString() {
            return typeName();
        }
    }

    enum IntSerializer implements ImmutableTypeSerializer<Integer> {
        INSTANCE;

        @Override
        public void serialize(Integer value, DataOutput out) throws IOException {
            out.writeInt(value);
        }

        @Override
        public Integer deserialize(DataInput in) throws IOException {
            return in.readInt();
        }

        @Override
        public String typeName() {
            return "Integer";
        }

        @Override
        public int fixedLength() {
            return 4;
        }

        @Override
        public SerializerIdentity identity() {
            return SerializerIdentity.of("int");
        }

        @Override
        public String toString() {
            return typeName();
        }
    }

    enum ShortSerializer implements ImmutableTypeSerializer<Short> {
        INSTANCE;

        @Override
        public void serialize(Short value, DataOutput out) throws IOException {
            out.writeShort(value);
        }

        @Override
        public Short deserialize(DataInput in) throws IOException {
            return in.readShort();
        }

        @Override
        public String typeName() {
            return "Short";
        }

        @Override
        public int fixedLength() {
            return 2;
        }

        @Override
        public SerializerIdentity identity() {
            return SerializerIdentity.of("short");
        }

        @Override
        public String toString() {
            return typeName();
        }
    }

    enum ByteSerializer implements ImmutableTypeSerializer<Byte> {
        INSTANCE;

        @Override
        public void serialize(Byte value, DataOutput out) throws IOException {
            out.writeByte(value);
        }

        @Override
        public Byte deserialize(DataInput in) throws IOException {
            return in.readByte();
        }

        @Override
        public String typeName() {
            return "Byte";
        }

        @Override
        public int fixedLength() {
            return 1;
        }

        @Override
        public SerializerIdentity identity() {
            return SerializerIdentity.of("byte");
        }

        @Override
        public String toString() {
            return typeName();
        }
    }

    /** Writes the raw bits, so that every NaN payload and -0.0 survive exactly. */
    enum DoubleSerializer implements ImmutableTypeSerializer<Double> {
        INSTANCE;

        @Override
        public void serialize(Double value, DataOutput out) throws IOException {
            out.writeLong(Double.doubleToRawLongBits(value));
        }

        @Override
        public Double deserialize(DataInput in) throws IOException {
            return Double.longBitsToDouble(in.readLong());
        }

        @Override
        public String typeName() {
            return "Double";
        }

        @Override
        public int fixedLength() {
            return 8;
        }

        @Override
        public SerializerIdentity identity() {
            return SerializerIdentity.of("double");
        }

        @Override
        public String toString() {
            return typeName();
        }
    }

    /** Writes the raw bits, so that every NaN payload and -0.0f survive exactly. */
    enum FloatSerializer implements ImmutableTypeSerializer<Float> {
        INSTANCE;

        @Override
        public void serialize(Float value, DataOutput out) throws IOException {
            out.writeInt(Float.floatToRawIntBits(value));
        }

        @Override
        public Float deserialize(DataInput in) throws IOException {
            return Float.intBitsToFloat(in.readInt());
        }

        @Override
        public String typeName() {
            return "Float";
        }

        @Override
        public int fixedLength() {
            return 4;
        }

        @Override
        public SerializerIdentity identity() {
            return SerializerIdentity.of("float");
        }

        @Override
        public String toString() {
            return typeName();
        }
    }

    enum BooleanSerializer implements ImmutableTypeSerializer<Boolean> {
        INSTANCE;

        @Override
        public void serialize(Boolean value, DataOutput out) throws IOException {
            out.writeBoolean(value);
        }

        @Override
        public Boolean deserialize(DataInput in) throws IOException {
            return in.readBoolean();
        }

        @Override
        public String typeName() {
            return "Boolean";
        }

        @Override
        public int fixedLength() {
            return 1;
        }

        @Override
        public SerializerIdentity identity() {
            return SerializerIdentity.of("boolean");
        }

        @Override
        public String toString() {
            return typeName();
        }
    }

    /** Any {@code char}, including a lone surrogate, as its two UTF-16 bytes. */
    enum CharSerializer implements ImmutableTypeSerializer<Character> {
        INSTANCE;

        @Override
        public void serialize(Character value, DataOutput out) throws IOException {
            out.writeChar(value);
        }

        @Override
        public Character deserialize(DataInput in) throws IOException {
            return in.readChar();
        }

        @Override
        public String typeName() {
            return "Character";
        }

        @Override
        public int fixedLength() {
            return 2;
        }

        @Override
        public SerializerIdentity identity() {
            return SerializerIdentity.of("char");
        }

        @Override
        public String toString() {
            return typeName();
        }
    }
}
