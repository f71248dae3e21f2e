package io.sluice.api.types;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serial;
import java.util.ConcurrentModificationException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A {@code Map} as a varint size followed by key, value, key, value... in the map's iteration order. Reads
 * produce a mutable {@link LinkedHashMap}, so the iteration order survives the round trip. Keys and values
 * may be {@code null} only if their serializers accept null; the map itself may not be {@code null}.
 * Immutable and thread-safe.
 */
final class MapSerializer<K, V> implements TypeSerializer<Map<K, V>> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final TypeSerializer<K> keySerializer;
    private final TypeSerializer<V> valueSerializer;

    MapSerializer(TypeSerializer<K> keySerializer, TypeSerializer<V> valueSerializer) {
        this.keySerializer = Objects.requireNonNull(keySerializer, "keySerializer");
        this.valueSerializer = Objects.requireNonNull(valueSerializer, "valueSerializer");
    }

    @Override
    public void serialize(Map<K, V> value, DataOutput out) throws IOException {
        int size = value.size();
        VarInts.write(out, size);
        int written = 0;
        for (Map.Entry<K, V> entry : value.entrySet()) {
            keySerializer.serialize(entry.getKey(), out);
            valueSerializer.serialize(entry.getValue(), out);
            written++;
        }
        if (written != size) {
            throw new ConcurrentModificationException("Map changed size while being serialized");
        }
    }

    @Override
    public Map<K, V> deserialize(DataInput in) throws IOException {
        int size = VarInts.readLength(in);
        Map<K, V> map = LinkedHashMap.newLinkedHashMap(Math.min(size, ListSerializer.MAX_PREALLOCATION));
        for (int i = 0; i < size; i++) {
            K key = keySerializer.deserialize(in);
            map.put(key, valueSerializer.deserialize(in));
        }
        return map;
    }

    /** A {@link LinkedHashMap}, like {@link #deserialize}, of the keys' and values' copies in the same order. */
    @Override
    public Map<K, V> copy(Map<K, V> value) {
        Map<K, V> copy = LinkedHashMap.newLinkedHashMap(value.size());
        for (Map.Entry<K, V> entry : value.entrySet()) {
            copy.put(keySerializer.copy(entry.getKey()), valueSerializer.copy(entry.getValue()));
        }
        return copy;
    }

    @Override
    public String typeName() {
        return "Map<" + keySerializer.typeName() + ", " + valueSerializer.typeName() + ">";
    }

    @Override
    public SerializerIdentity identity() {
        return SerializerIdentities.composite("map", keySerializer, valueSerializer);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MapSerializer<?, ?> other
                && keySerializer.equals(other.keySerializer)
                && valueSerializer.equals(other.valueSerializer);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * keySerializer.hashCode() + valueSerializer.hashCode()) + 3;
    }

    @Override
    public String toString() {
        return "map(" + keySerializer + ", " + valueSerializer + ")";
    }
}
