package io.sluice.runtime.state.heap;

import io.sluice.api.state.MapStateDescriptor;
import io.sluice.api.state.StateDescriptor;
import io.sluice.api.types.TypeSerializer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Deep copies of one state's stored values, for {@link StateTable#unsharedValueAt}: the value itself (value, reducing,
 * aggregating state), or the list of elements, or the map of map values, each of those wrapped in a {@link TtlValue}
 * under time-to-live. Objects are copied through the state's serializers' {@link TypeSerializer#copy}, so immutable
 * ones (strings, boxes, records of such) are not copied at all. Immutable; task thread.
 */
final class EntryCopier {
    /** Copies a stored value before it is changed in place; {@code null} when it never is (an immutable single value). */
    final UnaryOperator<Object> forChange;
    /**
     * Copies a stored value before objects in it are handed out; {@code null} when those are immutable (list and map
     * reads hand out elements and map values, never the stored list or map itself).
     */
    final UnaryOperator<Object> forRead;

    private EntryCopier(UnaryOperator<Object> forChange, UnaryOperator<Object> forRead) {
        this.forChange = forChange;
        this.forRead = forRead;
    }

    @SuppressWarnings("unchecked")
    static EntryCopier of(StateKind kind, StateDescriptor<?> descriptor, boolean ttl) {
        UnaryOperator<Object> unit = unitCopier(StateKind.valueSerializer(descriptor), ttl);
        return switch (kind) {
            case VALUE, REDUCING, AGGREGATING -> new EntryCopier(unit, unit);
            case LIST -> {
                UnaryOperator<Object> list = stored -> copyList((List<Object>) stored, unit);
                yield new EntryCopier(list, unit == null ? null : list);
            }
            case MAP -> {
                TypeSerializer<Object> keys = (TypeSerializer<Object>) ((MapStateDescriptor<?, ?>) descriptor).keySerializer();
                UnaryOperator<Object> key = keys.isImmutableType() ? null : keys::copy;
                UnaryOperator<Object> map = stored -> copyMap((Map<Object, Object>) stored, key, unit);
                yield new EntryCopier(map, unit == null && key == null ? null : map);
            }
        };
    }

    /** Copies one unit (a value, a list element, a map value, with its expiry under TTL); {@code null} if immutable. */
    private static UnaryOperator<Object> unitCopier(TypeSerializer<Object> serializer, boolean ttl) {
        if (serializer.isImmutableType()) {
            return null; // a TtlValue is immutable too
        }
        if (ttl) {
            return unit -> {
                TtlValue t = (TtlValue) unit;
                return new TtlValue(serializer.copy(t.value()), t.expiresAt());
            };
        }
        return serializer::copy;
    }

    private static Object copyList(List<Object> stored, UnaryOperator<Object> unit) {
        if (unit == null) {
            return new ArrayList<>(stored);
        }
        ArrayList<Object> copy = new ArrayList<>(stored.size());
        for (Object element : stored) {
            copy.add(unit.apply(element));
        }
        return copy;
    }

    private static Object copyMap(Map<Object, Object> stored, UnaryOperator<Object> key, UnaryOperator<Object> unit) {
        if (key == null && unit == null) {
            return new HashMap<>(stored);
        }
        HashMap<Object, Object> copy = HashMap.newHashMap(stored.size());
        for (Map.Entry<Object, Object> e : stored.entrySet()) {
            copy.put(key == null ? e.getKey() : key.apply(e.getKey()), unit == null ? e.getValue() : unit.apply(e.getValue()));
        }
        return copy;
    }
}
