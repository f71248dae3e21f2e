package io.sluice.api.types;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serial;
import java.util.Objects;

/**
 * An enum constant as its ordinal, a varint. Compact and fast, but the ordinal is the contract: state written
 * by one version of the enum can only be read by a version that has not reordered or removed constants
 * (appending is fine). Does not accept {@code null}. A {@link TypeSerializer#copy copy} is the constant itself (enum
 * constants are singletons). Immutable and thread-safe.
 */
final class EnumSerializer<E extends Enum<E>> implements ImmutableTypeSerializer<E> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final Class<E> type;

    /**
     * Cached because {@link Class#getEnumConstants()} copies the array on each call. Transient: rebuilt from
     * {@link #type} after Java deserialization. Racy initialization is benign: every thread computes an
     * equal array.
     */
    private transient E[] constants;

    EnumSerializer(Class<E> type) {
        this.type = Objects.requireNonNull(type, "type");
        this.constants = type.getEnumConstants();
    }

    @Override
    public void serialize(E value, DataOutput out) throws IOException {
        VarInts.write(out, value.ordinal());
    }

    @Override
    public E deserialize(DataInput in) throws IOException {
        int ordinal = VarInts.read(in);
        E[] values = constants();
        if (ordinal < 0 || ordinal >= values.length) {
            throw new IOException("Corrupt input or incompatible enum: ordinal " + ordinal + " out of range for "
                    + type.getName() + " with " + values.length + " constants");
        }
        return values[ordinal];
    }

    private E[] constants() {
        E[] values = constants;
        if (values == null) {
            values = type.getEnumConstants();
            constants = values;
        }
        return values;
    }

    @Override
    public String typeName() {
        return type.getSimpleName();
    }

    /** By type alone: constants appended keep the format (ordinals are the contract, see above). */
    @Override
    public SerializerIdentity identity() {
        return SerializerIdentity.of("enum " + type.getName());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnumSerializer<?> other && type == other.type;
    }

    @Override
    public int hashCode() {
        return type.hashCode();
    }

    @Override
    public String toString() {
        return "enum(" + type.getName() + ")";
    }
}
