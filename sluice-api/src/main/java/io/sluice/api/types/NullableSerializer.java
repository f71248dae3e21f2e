package io.sluice.api.types;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serial;
import java.util.Objects;

/**
 * Makes {@code null} legal for another serializer: one marker byte (0 = null, 1 = a value follows). Created
 * by {@link Types#nullable}. Immutable and thread-safe.
 */
final class NullableSerializer<T> implements TypeSerializer<T> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final TypeSerializer<T> inner;

    NullableSerializer(TypeSerializer<T> inner) {
        this.inner = Objects.requireNonNull(inner, "inner");
    }

    @Override
    public void serialize(T value, DataOutput out) throws IOException {
        if (value == null) {
            out.writeBoolean(false);
        } else {
            out.writeBoolean(true);
            inner.serialize(value, out);
        }
    }

    @Override
    public T deserialize(DataInput in) throws IOException {
        return in.readBoolean() ? inner.deserialize(in) : null;
    }

    @Override
    public boolean acceptsNull() {
        return true;
    }

    @Override
    public T copy(T value) {
        return value == null ? null : inner.copy(value);
    }

    @Override
    public boolean isImmutableType() {
        return inner.isImmutableType();
    }

    /** The wrapped type's name: nullability is not part of the type a user declares. */
    @Override
    public String typeName() {
        return inner.typeName();
    }

    /** Unlike the type name, the format differs from the inner serializer's: a marker byte comes first. */
    @Override
    public SerializerIdentity identity() {
        return SerializerIdentities.composite("nullable", inner);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NullableSerializer<?> other && inner.equals(other.inner);
    }

    @Override
    public int hashCode() {
        return 31 * inner.hashCode() + 1;
    }

    @Override
    public String toString() {
        return "nullable(" + inner + ")";
    }
}
