package io.sluice.api.windowing.assigners;

import io.sluice.api.types.TypeSerializer;
import io.sluice.api.windowing.TimeWindow;
import io.sluice.api.windowing.Trigger;
import io.sluice.api.windowing.WindowAssigner;
import io.sluice.api.windowing.triggers.EventTimeTrigger;
import java.time.Duration;
import java.util.Collection;

/**
 * Event-time windows of a fixed size starting every {@code slide}: a record belongs to about {@code size / slide}
 * overlapping windows, and updates each (one accumulator per window). Default trigger {@link EventTimeTrigger}.
 * Configuration immutable; it remembers the last windows it assigned, so each operator subtask uses its own copy
 * (as the runtime gives it).
 */
public final class SlidingEventTimeWindows implements WindowAssigner<Object, TimeWindow> {
    private final long size;
    private final long slide;
    private final long offset;
    /** The last assigned windows (see {@link SlidingWindows.Recent}); per copy, task thread only. */
    private transient SlidingWindows.Recent recent;

    private SlidingEventTimeWindows(long size, long slide, long offset) {
        SlidingWindows.check(size, slide);
        this.size = size;
        this.slide = slide;
        this.offset = offset;
    }

    /** The window size in milliseconds. */
    public long sizeMillis() {
        return size;
    }

    /** The slide in milliseconds. */
    public long slideMillis() {
        return slide;
    }

    /** The offset in milliseconds. */
    public long offsetMillis() {
        return offset;
    }

    public static SlidingEventTimeWindows of(Duration size, Duration slide) {
        return new SlidingEventTimeWindows(Durations.positiveMillis(size, "window size"),
                Durations.positiveMillis(slide, "window slide"), 0);
    }

    public static SlidingEventTimeWindows of(Duration size, Duration slide, Duration offset) {
        long sl = Durations.positiveMillis(slide, "window slide");
        return new SlidingEventTimeWindows(Durations.positiveMillis(size, "window size"), sl,
                Durations.offsetMillis(offset, sl, "sliding windows (the slide)"));
    }

    @Override
    public Collection<TimeWindow> assignWindows(Object element, long timestamp, AssignerContext context) {
        if (recent == null) {
            recent = new SlidingWindows.Recent();
        }
        return recent.containing(Durations.requireTimestamp(timestamp), size, slide, offset);
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
        return "SlidingEventTimeWindows(" + size + " ms, slide " + slide + " ms)";
    }
}
