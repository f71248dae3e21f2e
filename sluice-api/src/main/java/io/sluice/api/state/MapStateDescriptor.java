package io.sluice.api.state;

import io.sluice.api.types.TypeSerializer;
import java.util.Objects;

/**
 * A map state (keyed, or broadcast state).
 *
 * @param name            unique within the operator
 * @param keySerializer   the map keys' serializer
 * @param valueSerializer the map values' serializer
 * @param ttl             time to live of each map entry (keyed state only), or {@code null}
 */
public record MapStateDescriptor<K, V>(String name, TypeSerializer<K> keySerializer, TypeSerializer<V> valueSerializer,
        StateTtlConfig ttl) implements StateDescriptor<MapState<K, V>> {
    public MapStateDescriptor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keySerializer, "keySerializer");
        Objects.requireNonNull(valueSerializer, "valueSerializer");
    }

    public MapStateDescriptor(String name, TypeSerializer<K> keySerializer, TypeSerializer<V> valueSerializer) {
        this(name, keySerializer, valueSerializer, null);
    }

    public MapStateDescriptor<K, V> withTtl(StateTtlConfig ttl) {
        return new MapStateDescriptor<>(name, keySerializer, valueSerializer, ttl);
    }
}
