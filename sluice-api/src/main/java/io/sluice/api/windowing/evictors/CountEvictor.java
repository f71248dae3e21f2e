package io.sluice.api.windowing.evictors;

import io.sluice.api.windowing.Evictor;
import io.sluice.api.windowing.TimestampedValue;
import io.sluice.api.windowing.Window;
import java.util.List;

/**
 * Keeps at most {@code maxCount} elements in a window: evicts the earliest-arrived beyond that, before the window
 * function runs (default) or after it. Stateless.
 */
public final class CountEvictor implements Evictor<Object, Window> {
    private final long maxCount;
    private final boolean after;

    private CountEvictor(long maxCount, boolean after) {
        if (maxCount < 0) {
            throw new IllegalArgumentException("maxCount must not be negative, was " + maxCount);
        }
        this.maxCount = maxCount;
        this.after = after;
    }

    /** Evicts before the window function. */
    public static CountEvictor of(long maxCount) {
        return new CountEvictor(maxCount, false);
    }

    /** Evicts after the window function if {@code evictAfter}, else before. */
    public static CountEvictor of(long maxCount, boolean evictAfter) {
        return new CountEvictor(maxCount, evictAfter);
    }

    @Override
    public void evictBefore(List<TimestampedValue<Object>> elements, int size, Window window, EvictorContext context) {
        if (!after) {
            evict(elements);
        }
    }

    @Override
    public void evictAfter(List<TimestampedValue<Object>> elements, int size, Window window, EvictorContext context) {
        if (after) {
            evict(elements);
        }
    }

    private void evict(List<TimestampedValue<Object>> elements) {
        int excess = (int) Math.max(0, elements.size() - maxCount);
        if (excess > 0) {
            elements.subList(0, excess).clear();
        }
    }

    @Override
    public String toString() {
        return "CountEvictor(" + maxCount + (after ? ", after" : "") + ")";
    }
}
