package io.sluice.runtime.window;

import io.sluice.api.types.TypeSerializer;
import io.sluice.api.windowing.TimestampedValue;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** A record and its timestamp: the elements of windows with an evictor. Immutable, thread-safe. */
record TimestampedValueSerializer<T>(TypeSerializer<T> valueSerializer) implements TypeSerializer<TimestampedValue<T>> {

    @Override
    public void serialize(TimestampedValue<T> value, DataOutput out) throws IOException {
        valueSerializer.serialize(value.value(), out);
        out.writeLong(value.timestamp());
    }

    @Override
    public TimestampedValue<T> deserialize(DataInput in) throws IOException {
        T value = valueSerializer.deserialize(in);
        return new TimestampedValue<>(value, in.readLong());
    }

    /** The pair itself never changes; its value may. */
    @Override
    public TimestampedValue<T> copy(TimestampedValue<T> value) {
        return isImmutableType() ? value : new TimestampedValue<>(valueSerializer.copy(value.value()), value.timestamp());
    }

    @Override
    public boolean isImmutableType() {
        return valueSerializer.isImmutableType();
    }

    @Override
    public String typeName() {
        return "TimestampedValue<" + valueSerializer.typeName() + ">";
    }
}
