package io.sluice.api.windowing.assigners;

import io.sluice.api.types.TypeSerializer;
import io.sluice.api.windowing.TimeWindow;
import io.sluice.api.windowing.Trigger;
import io.sluice.api.windowing.WindowAssigner;
import io.sluice.api.windowing.triggers.ProcessingTimeTrigger;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Fixed-size, non-overlapping windows in processing time: a record goes into the window holding the task's clock when
 * it arrives; the window fires when the clock passes its end ({@link ProcessingTimeTrigger}). A bounded job that ends
 * before a window's end does not fire it. Immutable.
 */
public final class TumblingProcessingTimeWindows implements WindowAssigner<Object, TimeWindow> {
    private final long size;
    private final long offset;

    private TumblingProcessingTimeWindows(long size, long offset) {
        this.size = size;
        this.offset = offset;
    }

    public static TumblingProcessingTimeWindows of(Duration size) {
        return new TumblingProcessingTimeWindows(Durations.positiveMillis(size, "window size"), 0);
    }

    public static TumblingProcessingTimeWindows of(Duration size, Duration offset) {
        long s = Durations.positiveMillis(size, "window size");
        return new TumblingProcessingTimeWindows(s, Durations.offsetMillis(offset, s, "tumbling windows"));
    }

    @Override
    public Collection<TimeWindow> assignWindows(Object element, long timestamp, AssignerContext context) {
        long start = TimeWindow.windowStart(context.currentProcessingTime(), offset, size);
        return List.of(new TimeWindow(start, start + size));
    }

    @Override
    public Trigger<Object, ? super TimeWindow> defaultTrigger() {
        return ProcessingTimeTrigger.create();
    }

    @Override
    public TypeSerializer<TimeWindow> windowSerializer() {
        return TimeWindow.serializer();
    }

    @Override
    public boolean isEventTime() {
        return false;
    }

    @Override
    public String toString() {
        return "TumblingProcessingTimeWindows(" + size + " ms" + (offset != 0 ? ", offset " + offset + " ms" : "") + ")";
    }
}
