package io.sluice.api.functions;

import io.sluice.api.types.TypeSerializer;
import java.io.Serializable;
import java.util.Objects;

/**
 * Names a side output of an operator and gives its type. Two tags are the same output when their ids are equal.
 *
 * @param id   the side output's name, unique within the job
 * @param type the serializer of the side output's records
 */
public record OutputTag<T>(String id, TypeSerializer<T> type) implements Serializable {
    public OutputTag {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutputTag<?> other && other.id.equals(id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }
}
