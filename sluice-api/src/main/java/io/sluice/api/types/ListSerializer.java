package io.sluice.api.types;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serial;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * A {@code List} as a varint size followed by the elements. Reads produce a mutable {@link ArrayList}.
 * Elements may be {@code null} only if the element serializer {@link TypeSerializer#acceptsNull accepts null};
 * the list itself may not be {@code null}. Immutable and thread-safe.
 */
final class ListSerializer<E> implements TypeSerializer<List<E>> {

    @Serial
    private static final long serialVersionUID = 1L;

    /** Caps the capacity taken on trust from the input, so that a corrupt size cannot exhaust the heap. */
    static final int MAX_PREALLOCATION = 1 << 16;

    private final TypeSerializer<E> elementSerializer;

    ListSerializer(TypeSerializer<E> elementSerializer) {
        this.elementSerializer = Objects.requireNonNull(elementSerializer, "elementSerializer");
    }

    @Override
    public void serialize(List<E> value, DataOutput out) throws IOException {
        int size = value.size();
        VarInts.write(out, size);
        if (value instanceof RandomAccess) {
            // Indexing avoids allocating an iterator per list.
            for (int i = 0; i < size; i++) {
                elementSerializer.serialize(value.get(i), out);
            }
        } else {
            int written = 0;
            for (E element : value) {
                elementSerializer.serialize(element, out);
                written++;
            }
            if (written != size) {
                throw new ConcurrentModificationException("List changed size while being serialized");
            }
        }
    }

    @Override
    public List<E> deserialize(DataInput in) throws IOException {
        int size = VarInts.readLength(in);
        List<E> list = new ArrayList<>(Math.min(size, MAX_PREALLOCATION));
        for (int i = 0; i < size; i++) {
            list.add(elementSerializer.deserialize(in));
        }
        return list;
    }

    /** An {@link ArrayList}, like {@link #deserialize}, of the elements' copies. */
    @Override
    public List<E> copy(List<E> value) {
        List<E> copy = new ArrayList<>(value.size());
        for (E element : value) {
            copy.add(elementSerializer.copy(element));
        }
        return copy;
    }

    @Override
    public String typeName() {
        return "List<" + elementSerializer.typeName() + ">";
    }

    @Override
    public SerializerIdentity identity() {
        return SerializerIdentities.composite("list", elementSerializer);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ListSerializer<?> other && elementSerializer.equals(other.elementSerializer);
    }

    @Override
    public int hashCode() {
        return 31 * elementSerializer.hashCode() + 2;
    }

    @Override
    public String toString() {
        return "list(" + elementSerializer + ")";
    }
}
