package io.sluice.api.windowing.assigners;

import io.sluice.api.types.TypeSerializer;
import io.sluice.api.windowing.MergingWindowAssigner;
import io.sluice.api.windowing.TimeWindow;
import io.sluice.api.windowing.Trigger;
import io.sluice.api.windowing.triggers.ProcessingTimeTrigger;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/** Sessions in processing time: a key's session ends when no record arrived for {@code gap}. Immutable. */
public final class ProcessingTimeSessionWindows implements MergingWindowAssigner<Object, TimeWindow> {
    private final long gap;

    private ProcessingTimeSessionWindows(long gap) {
        this.gap = gap;
    }

    public static ProcessingTimeSessionWindows withGap(Duration gap) {
        return new ProcessingTimeSessionWindows(Durations.positiveMillis(gap, "session gap"));
    }

    @Override
    public Collection<TimeWindow> assignWindows(Object element, long timestamp, AssignerContext context) {
        long now = context.currentProcessingTime();
        return List.of(new TimeWindow(now, now + gap));
    }

    @Override
    public void mergeWindows(Collection<TimeWindow> windows, MergeCallback<TimeWindow> callback) {
        TimeWindow.mergeWindows(windows, callback);
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
        return "ProcessingTimeSessionWindows(gap " + gap + " ms)";
    }
}
