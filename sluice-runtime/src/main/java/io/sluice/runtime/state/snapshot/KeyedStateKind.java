package io.sluice.runtime.state.snapshot;

import io.sluice.api.state.AggregatingStateDescriptor;
import io.sluice.api.state.ListStateDescriptor;
import io.sluice.api.state.MapStateDescriptor;
import io.sluice.api.state.ReducingStateDescriptor;
import io.sluice.api.state.StateDescriptor;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.TypeSerializer;
import java.io.IOException;
import java.util.List;

/**
 * The kinds of keyed state as the canonical format records them, with the codes it writes (never reorder them) and
 * what each kind's serializers are for.
 */
public enum KeyedStateKind {
    VALUE(0, List.of("values")),
    LIST(1, List.of("list elements")),
    MAP(2, List.of("map keys", "map values")),
    REDUCING(3, List.of("values")),
    AGGREGATING(4, List.of("accumulators"));

    private final byte code;
    private final List<String> valueRoles;

    KeyedStateKind(int code, List<String> valueRoles) {
        this.code = (byte) code;
        this.valueRoles = valueRoles;
    }

    byte code() {
        return code;
    }

    static KeyedStateKind ofCode(int code) throws IOException {
        for (KeyedStateKind k : values()) {
            if (k.code == code) {
                return k;
            }
        }
        throw new IOException("unknown state kind " + code);
    }

    /** The kind of state {@code d} describes. */
    public static KeyedStateKind of(StateDescriptor<?> d) {
        return switch (d) {
            case ValueStateDescriptor<?> v -> VALUE;
            case ListStateDescriptor<?> l -> LIST;
            case MapStateDescriptor<?, ?> m -> MAP;
            case ReducingStateDescriptor<?> r -> REDUCING;
            case AggregatingStateDescriptor<?, ?, ?> a -> AGGREGATING;
        };
    }

    /** What the serializers of {@link #valueSerializers} serialize, for messages. */
    List<String> valueRoles() {
        return valueRoles;
    }

    /** The serializers of the stored values of state {@code d} (of this kind), in the format's order. */
    static List<TypeSerializer<?>> valueSerializers(StateDescriptor<?> d) {
        return switch (d) {
            case ValueStateDescriptor<?> v -> List.of(v.serializer());
            case ListStateDescriptor<?> l -> List.of(l.elementSerializer());
            case MapStateDescriptor<?, ?> m -> List.of(m.keySerializer(), m.valueSerializer());
            case ReducingStateDescriptor<?> r -> List.of(r.serializer());
            case AggregatingStateDescriptor<?, ?, ?> a -> List.of(a.accumulatorSerializer());
        };
    }
}
