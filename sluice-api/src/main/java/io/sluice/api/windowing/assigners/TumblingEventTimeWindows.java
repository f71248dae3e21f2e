package io.sluice.api.windowing.assigners;

import io.sluice.api.types.TypeSerializer;
import io.sluice.api.windowing.TimeWindow;
import io.sluice.api.windowing.Trigger;
import io.sluice.api.windowing.WindowAssigner;
import io.sluice.api.windowing.triggers.EventTimeTrigger;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Fixed-size, non-overlapping event-time windows {@code [offset + k·size, offset + (k+1)·size)}: each record goes into
 * exactly one, by its timestamp. Fires when the watermark passes the window's end (default trigger
 * {@link EventTimeTrigger}). Configuration immutable; it remembers the last window it assigned, so each operator
 * subtask uses its own copy (as the runtime gives it).
 */
public final class TumblingEventTimeWindows implements WindowAssigner<Object, TimeWindow> {
    private final long size;
    private final long offset;
    /** The last assigned window; per copy, task thread only. */
    private transient List<TimeWindow> recent;

    private TumblingEventTimeWindows(long size, long offset) {
        this.size = size;
        this.offset = offset;
    }

    public static TumblingEventTimeWindows of(Duration size) {
        return new TumblingEventTimeWindows(Durations.positiveMillis(size, "window size"), 0);
    }

    /** Windows shifted by {@code offset} (smaller than the size; may be negative), e.g. to align days to a time zone. */
    public static TumblingEventTimeWindows of(Duration size, Duration offset) {
        long s = Durations.positiveMillis(size, "window size");
        return new TumblingEventTimeWindows(s, Durations.offsetMillis(offset, s, "tumbling windows"));
    }

    @Override
    public Collection<TimeWindow> assignWindows(Object element, long timestamp, AssignerContext context) {
        long start = TimeWindow.windowStart(Durations.requireTimestamp(timestamp), offset, size);
        if (recent == null || recent.getFirst().start() != start) {
            // The same instance while records fall into the same window: state and timer lookups then compare the
            // window by identity. Each operator subtask has its own copy of the assigner (task thread only).
            recent = List.of(new TimeWindow(start, start + size));
        }
        return recent;
    }

    @Override
    public Trigger<Object, ? super TimeWindow> defaultTrigger() {
        return EventTimeTrigger.create();
    }

    @Override
    public TypeSerializer<TimeWindow> windowSerializer() {
        return TimeWindow.serializer();
    }

    @Override
    public boolean isEventTime() {
        return true;
    }

    @Override
    public String toString() {
        return "TumblingEventTimeWindows(" + size + " ms" + (offset != 0 ? ", offset " + offset + " ms" : "") + ")";
    }
}
