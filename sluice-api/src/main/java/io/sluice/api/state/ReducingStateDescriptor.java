package io.sluice.api.state;

import io.sluice.api.aggregation.Reducer;
import io.sluice.api.types.TypeSerializer;
import java.util.Objects;

/**
 * A reducing state.
 *
 * @param name       unique within the operator
 * @param reducer    combines the stored value with each added one (only reduces: never opened or closed)
 * @param serializer the values' serializer
 * @param ttl        time to live, or {@code null}
 */
public record ReducingStateDescriptor<T>(String name, Reducer<T> reducer, TypeSerializer<T> serializer,
        StateTtlConfig ttl) implements StateDescriptor<ReducingState<T>> {
    public ReducingStateDescriptor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(reducer, "reducer");
        Objects.requireNonNull(serializer, "serializer");
    }

    public ReducingStateDescriptor(String name, Reducer<T> reducer, TypeSerializer<T> serializer) {
        this(name, reducer, serializer, null);
    }

    public ReducingStateDescriptor<T> withTtl(StateTtlConfig ttl) {
        return new ReducingStateDescriptor<>(name, reducer, serializer, ttl);
    }
}
