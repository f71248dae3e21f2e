package io.sluice.runtime.state.heap;

import io.sluice.api.state.AggregatingStateDescriptor;
import io.sluice.api.state.ListStateDescriptor;
import io.sluice.api.state.MapStateDescriptor;
import io.sluice.api.state.ReducingStateDescriptor;
import io.sluice.api.state.StateDescriptor;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.TypeSerializer;
import io.sluice.runtime.state.snapshot.KeyedStateKind;
import java.io.DataInput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The kinds of keyed state, their values' serializers, and how the heap backend's old snapshot format
 * ({@link SnapshotFormat}) wrote a value. With TTL, every stored unit (the value; each list element; each map value)
 * carries its expiry time.
 */
enum StateKind {
    VALUE, LIST, MAP, REDUCING, AGGREGATING;

    static StateKind of(StateDescriptor<?> d) {
        return valueOf(KeyedStateKind.of(d));
    }

    /** This backend's kind of the canonical format's {@code kind} (the same constants). */
    static StateKind valueOf(KeyedStateKind kind) {
        return valueOf(kind.name());
    }

    /** The serializer of a single stored value (value, reducing, aggregating) or of list elements. */
    @SuppressWarnings("unchecked")
    static TypeSerializer<Object> valueSerializer(StateDescriptor<?> d) {
        return (TypeSerializer<Object>) switch (d) {
            case ValueStateDescriptor<?> v -> v.serializer();
            case ListStateDescriptor<?> l -> l.elementSerializer();
            case MapStateDescriptor<?, ?> m -> m.valueSerializer();
            case ReducingStateDescriptor<?> r -> r.serializer();
            case AggregatingStateDescriptor<?, ?, ?> a -> a.accumulatorSerializer();
        };
    }

    /** Reads a stored value as the heap backend wrote it before the canonical format ({@link SnapshotFormat}). */
    @SuppressWarnings("unchecked")
    Object read(StateDescriptor<?> d, boolean ttl, DataInput in) throws IOException {
        TypeSerializer<Object> values = valueSerializer(d);
        return switch (this) {
            case VALUE, REDUCING, AGGREGATING -> readUnit(values, ttl, in);
            case LIST -> {
                int n = in.readInt();
                ArrayList<Object> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    list.add(readUnit(values, ttl, in));
                }
                yield list;
            }
            case MAP -> {
                TypeSerializer<Object> keys = (TypeSerializer<Object>) ((MapStateDescriptor<?, ?>) d).keySerializer();
                int n = in.readInt();
                HashMap<Object, Object> map = HashMap.newHashMap(n);
                for (int i = 0; i < n; i++) {
                    Object k = keys.deserialize(in);
                    map.put(k, readUnit(values, ttl, in));
                }
                yield map;
            }
        };
    }

    private static Object readUnit(TypeSerializer<Object> values, boolean ttl, DataInput in) throws IOException {
        if (ttl) {
            long expiresAt = in.readLong();
            return new TtlValue(values.deserialize(in), expiresAt);
        }
        return values.deserialize(in);
    }
}
