package io.sluice.api.state;

import io.sluice.api.types.TypeSerializer;
import java.util.Objects;

/**
 * A list state (keyed, or operator list / union state).
 *
 * @param name              unique within the operator
 * @param elementSerializer the elements' serializer
 * @param ttl               time to live of each element (keyed state only), or {@code null}
 */
public record ListStateDescriptor<T>(String name, TypeSerializer<T> elementSerializer, StateTtlConfig ttl)
        implements StateDescriptor<ListState<T>> {
    public ListStateDescriptor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(elementSerializer, "elementSerializer");
    }

    public ListStateDescriptor(String name, TypeSerializer<T> elementSerializer) {
        this(name, elementSerializer, null);
    }

    public ListStateDescriptor<T> withTtl(StateTtlConfig ttl) {
        return new ListStateDescriptor<>(name, elementSerializer, ttl);
    }
}
