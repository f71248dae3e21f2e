package io.sluice.api.state;

import io.sluice.api.types.TypeSerializer;
import java.util.Objects;

/**
 * A value state.
 *
 * @param name         unique within the operator
 * @param serializer   the values' serializer
 * @param defaultValue returned by {@link ValueState#value()} for a key without a value; may be {@code null}
 * @param ttl          time to live of entries, or {@code null}
 */
public record ValueStateDescriptor<T>(String name, TypeSerializer<T> serializer, T defaultValue, StateTtlConfig ttl)
        implements StateDescriptor<ValueState<T>> {
    public ValueStateDescriptor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(serializer, "serializer");
    }

    public ValueStateDescriptor(String name, TypeSerializer<T> serializer) {
        this(name, serializer, null, null);
    }

    public ValueStateDescriptor(String name, TypeSerializer<T> serializer, T defaultValue) {
        this(name, serializer, defaultValue, null);
    }

    public ValueStateDescriptor<T> withTtl(StateTtlConfig ttl) {
        return new ValueStateDescriptor<>(name, serializer, defaultValue, ttl);
    }
}
