package io.sluice.runtime.state.heap;

import io.sluice.api.state.StateTtlConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Adapts restored values when a state's time to live was switched on or off between the snapshot and the restore:
 * newly TTL-enabled values start their time at restore; values of a state that lost its TTL keep living.
 */
final class TtlConversion {
    private TtlConversion() {}

    @SuppressWarnings("unchecked")
    static Object convert(Object stored, StateKind kind, boolean hadTtl, StateTtlConfig ttl, long now) {
        boolean hasTtl = ttl != null;
        if (hadTtl == hasTtl) {
            return stored;
        }
        long expiresAt = hasTtl ? now + ttl.timeToLive().toMillis() : 0;
        return switch (kind) {
            case VALUE, REDUCING, AGGREGATING -> unit(stored, hasTtl, expiresAt);
            case LIST -> {
                List<Object> out = new ArrayList<>();
                for (Object u : (List<Object>) stored) {
                    out.add(unit(u, hasTtl, expiresAt));
                }
                yield out;
            }
            case MAP -> {
                Map<Object, Object> out = new HashMap<>();
                ((Map<Object, Object>) stored).forEach((k, u) -> out.put(k, unit(u, hasTtl, expiresAt)));
                yield out;
            }
        };
    }

    private static Object unit(Object u, boolean wrap, long expiresAt) {
        return wrap ? new TtlValue(u, expiresAt) : ((TtlValue) u).value();
    }
}
