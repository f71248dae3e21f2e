package io.sluice.api.windowing.assigners;

import io.sluice.api.types.TypeSerializer;
import io.sluice.api.windowing.TimeWindow;
import io.sluice.api.windowing.Trigger;
import io.sluice.api.windowing.WindowAssigner;
import io.sluice.api.windowing.triggers.ProcessingTimeTrigger;
import java.time.Duration;
import java.util.Collection;

/** Sliding windows in processing time (the task's clock when a record arrives). Immutable. */
public final class SlidingProcessingTimeWindows implements WindowAssigner<Object, TimeWindow> {
    private final long size;
    private final long slide;
    private final long offset;

    private SlidingProcessingTimeWindows(long size, long slide, long offset) {
        SlidingWindows.check(size, slide);
        this.size = size;
        this.slide = slide;
        this.offset = offset;
    }

    public static SlidingProcessingTimeWindows of(Duration size, Duration slide) {
        return new SlidingProcessingTimeWindows(Durations.positiveMillis(size, "window size"),
                Durations.positiveMillis(slide, "window slide"), 0);
    }

    public static SlidingProcessingTimeWindows of(Duration size, Duration slide, Duration offset) {
        long sl = Durations.positiveMillis(slide, "window slide");
        return new SlidingProcessingTimeWindows(Durations.positiveMillis(size, "window size"), sl,
                Durations.offsetMillis(offset, sl, "sliding windows (the slide)"));
    }

    @Override
    public Collection<TimeWindow> assignWindows(Object element, long timestamp, AssignerContext context) {
        return SlidingWindows.containing(context.currentProcessingTime(), size, slide, offset);
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
        return "SlidingProcessingTimeWindows(" + size + " ms, slide " + slide + " ms)";
    }
}
