package io.sluice.api.types;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serial;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@code Optional} as a presence byte followed by the value if present. The {@code Optional} itself may
 * not be {@code null}. Immutable and thread-safe.
 */
final class OptionalSerializer<E> implements TypeSerializer<Optional<E>> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final TypeSerializer<E> valueSerializer;

    OptionalSerializer(TypeSerializer<E> valueSerializer) {
        this.valueSerializer = Objects.requireNonNull(valueSerializer, "valueSerializer");
    }

    @Override
    public void serialize(Optional<E> value, DataOutput out) throws IOException {
        if (value.isPresent()) {
            out.writeBoolean(true);
            valueSerializer.serialize(value.get(), out);
        } else {
            out.writeBoolean(false);
        }
    }

    @Override
    public Optional<E> deserialize(DataInput in) throws IOException {
        // ofNullable: a nullable value serializer could in principle read null; Optional turns it into empty.
        return in.readBoolean() ? Optional.ofNullable(valueSerializer.deserialize(in)) : Optional.empty();
    }

    /** An {@code Optional} never changes; its value may. */
    @Override
    public Optional<E> copy(Optional<E> value) {
        return isImmutableType() ? value : value.map(valueSerializer::copy);
    }

    @Override
    public boolean isImmutableType() {
        return valueSerializer.isImmutableType();
    }

    @Override
    public String typeName() {
        return "Optional<" + valueSerializer.typeName() + ">";
    }

    @Override
    public SerializerIdentity identity() {
        return SerializerIdentities.composite("optional", valueSerializer);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OptionalSerializer<?> other && valueSerializer.equals(other.valueSerializer);
    }

    @Override
    public int hashCode() {
        return 31 * valueSerializer.hashCode() + 4;
    }

    @Override
    public String toString() {
        return "optional(" + valueSerializer + ")";
    }
}
