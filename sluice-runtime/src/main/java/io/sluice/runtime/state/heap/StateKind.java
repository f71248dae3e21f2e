package io.sluice.runtime.state.heap;

import io.sluice.api.state.AggregatingStateDescriptor;
import io.sluice.api.state.ListStateDescriptor;
import io.sluice.api.state.MapStateDescriptor;
import io.sluice.api.state.ReducingStateDescriptor;
import io.sluice.api.state.StateDescriptor;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.TypeSerializer;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The kinds of keyed state and how each writes one entry's value into a snapshot. With TTL, every stored unit
 * (the value; each list element; each map value) carries its expiry time, and expired units are left out of the
 * snapshot: that is the snapshot-time cleanup.
 */
enum StateKind {
    VALUE, LIST, MAP, REDUCING, AGGREGATING;

    static StateKind of(StateDescriptor<?> d) {
        return switch (d) {
            case ValueStateDescriptor<?> v -> VALUE;
            case ListStateDescriptor<?> l -> LIST;
            case MapStateDescriptor<?, ?> m -> MAP;
            case ReducingStateDescriptor<?> r -> REDUCING;
            case AggregatingStateDescriptor<?, ?, ?> a -> AGGREGATING;
        };
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

    /**
     * Writes a stored value; returns {@code false} when it is entirely expired, having written nothing (the caller
     * then drops the entry's key too).
     */
    @SuppressWarnings("unchecked")
    boolean write(Object stored, StateDescriptor<?> d, boolean ttl, long now, DataOutput out) throws IOException {
        TypeSerializer<Object> values = valueSerializer(d);
        switch (this) {
            case VALUE, REDUCING, AGGREGATING -> {
                if (ttl) {
                    TtlValue t = (TtlValue) stored;
                    if (t.expired(now)) {
                        return false;
                    }
                    out.writeLong(t.expiresAt());
                    values.serialize(t.value(), out);
                } else {
                    values.serialize(stored, out);
                }
            }
            case LIST -> {
                List<Object> list = (List<Object>) stored;
                List<Object> live = ttl ? list.stream().filter(e -> !((TtlValue) e).expired(now)).toList() : list;
                if (live.isEmpty()) {
                    return false;
                }
                out.writeInt(live.size());
                for (Object e : live) {
                    writeUnit(e, values, ttl, out);
                }
            }
            case MAP -> {
                TypeSerializer<Object> keys = (TypeSerializer<Object>) ((MapStateDescriptor<?, ?>) d).keySerializer();
                Map<Object, Object> map = (Map<Object, Object>) stored;
                List<Map.Entry<Object, Object>> live = new ArrayList<>();
                for (Map.Entry<Object, Object> e : map.entrySet()) {
                    if (!ttl || !((TtlValue) e.getValue()).expired(now)) {
                        live.add(e);
                    }
                }
                if (live.isEmpty()) {
                    return false;
                }
                out.writeInt(live.size());
                for (Map.Entry<Object, Object> e : live) {
                    keys.serialize(e.getKey(), out);
                    writeUnit(e.getValue(), values, ttl, out);
                }
            }
        }
        return true;
    }

    private static void writeUnit(Object unit, TypeSerializer<Object> values, boolean ttl, DataOutput out) throws IOException {
        if (ttl) {
            TtlValue t = (TtlValue) unit;
            out.writeLong(t.expiresAt());
            values.serialize(t.value(), out);
        } else {
            values.serialize(unit, out);
        }
    }

    /** Reads a stored value written by {@link #write}. */
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
