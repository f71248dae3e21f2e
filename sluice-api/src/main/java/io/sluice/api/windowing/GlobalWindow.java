package io.sluice.api.windowing;

import io.sluice.api.types.ImmutableTypeSerializer;
import io.sluice.api.types.TypeSerializer;
import java.io.DataInput;
import java.io.DataOutput;
import java.util.Objects;

/**
 * The one window of {@link io.sluice.api.windowing.assigners.GlobalWindows}: every record of a key goes into it. It
 * never ends ({@link #maxTimestamp()} is {@link Long#MAX_VALUE}), so it fires only when its trigger says so, e.g. a
 * count trigger. All instances are equal.
 */
public record GlobalWindow() implements Window {
    private static final GlobalWindow INSTANCE = new GlobalWindow();

    public static GlobalWindow get() {
        return INSTANCE;
    }

    @Override
    public long maxTimestamp() {
        return Long.MAX_VALUE;
    }

    /** The serializer of the global window: no bytes at all. Does not accept {@code null}. */
    public static TypeSerializer<GlobalWindow> serializer() {
        return Serializer.INSTANCE;
    }

    private enum Serializer implements ImmutableTypeSerializer<GlobalWindow> {
        INSTANCE;

        /** Writes nothing, but refuses {@code null}, which would read back as the global window. */
        @Override
        public void serialize(GlobalWindow value, DataOutput out) {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public GlobalWindow deserialize(DataInput in) {
            return GlobalWindow.get();
        }

        @Override
        public String typeName() {
            return "GlobalWindow";
        }
    }
}
