package io.sluice.api.windowing.evictors;

import io.sluice.api.windowing.Evictor;
import io.sluice.api.windowing.TimestampedValue;
import io.sluice.api.windowing.Window;
import java.time.Duration;
import java.util.List;

/**
 * Keeps only the elements of the last {@code keep} of event time: evicts every element whose timestamp is at or
 * before {@code max(timestamps) - keep}, before the window function (default) or after it. Elements without
 * timestamps are never evicted. Stateless.
 */
public final class TimeEvictor implements Evictor<Object, Window> {
    private final long keepMillis;
    private final boolean after;

    private TimeEvictor(Duration keep, boolean after) {
        if (keep.isNegative()) {
            throw new IllegalArgumentException("the time kept must not be negative, was " + keep);
        }
        this.keepMillis = keep.toMillis();
        this.after = after;
    }

    public static TimeEvictor of(Duration keep) {
        return new TimeEvictor(keep, false);
    }

    public static TimeEvictor of(Duration keep, boolean evictAfter) {
        return new TimeEvictor(keep, evictAfter);
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
        long max = Long.MIN_VALUE;
        for (TimestampedValue<Object> e : elements) {
            if (e.hasTimestamp()) {
                max = Math.max(max, e.timestamp());
            }
        }
        if (max == Long.MIN_VALUE) {
            return;
        }
        long cutoff = max - keepMillis;
        elements.removeIf(e -> e.hasTimestamp() && e.timestamp() <= cutoff);
    }

    @Override
    public String toString() {
        return "TimeEvictor(" + keepMillis + " ms" + (after ? ", after" : "") + ")";
    }
}
