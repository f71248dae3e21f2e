package io.sluice.api.state;

import io.sluice.api.types.TypeSerializer;
import java.io.Serializable;
import java.util.Objects;

/**
 * Names a value state and says how its values are serialized (for snapshots) and what an absent value reads as.
 *
 * @param name         unique within the operator
 * @param serializer   the values' serializer
 * @param defaultValue returned by {@link ValueState#value()} for a key without a value; may be {@code null}
 */
public record ValueStateDescriptor<T>(String name, TypeSerializer<T> serializer, T defaultValue) implements Serializable {
    public ValueStateDescriptor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(serializer, "serializer");
    }

    public ValueStateDescriptor(String name, TypeSerializer<T> serializer) {
        this(name, serializer, null);
    }
}
