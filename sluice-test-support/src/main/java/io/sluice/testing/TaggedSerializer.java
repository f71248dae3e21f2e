package io.sluice.testing;

import io.sluice.api.types.TypeSerializer;
import io.sluice.api.types.Types;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serial;

/**
 * {@link Tagged} records as their split id, offset and value, the value with the given serializer. Read back through
 * the record's constructor, so a tag read from bytes is checked like one made in code. Immutable and thread-safe.
 */
final class TaggedSerializer<T> implements TypeSerializer<Tagged<T>> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final TypeSerializer<T> value;

    TaggedSerializer(TypeSerializer<T> value) {
        this.value = value;
    }

    @Override
    public void serialize(Tagged<T> record, DataOutput out) throws IOException {
        Types.STRING.serialize(record.split(), out);
        out.writeLong(record.offset());
        value.serialize(record.value(), out);
    }

    @Override
    public Tagged<T> deserialize(DataInput in) throws IOException {
        String split = Types.STRING.deserialize(in);
        long offset = in.readLong();
        return new Tagged<>(split, offset, value.deserialize(in));
    }

    @Override
    public String typeName() {
        return "Tagged<" + value.typeName() + ">";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TaggedSerializer<?> other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return 31 * value.hashCode() + 7;
    }

    @Override
    public String toString() {
        return "tagged(" + value + ")";
    }
}
