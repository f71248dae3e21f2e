package io.sluice.api.windowing.assigners;

import io.sluice.api.types.TypeSerializer;
import io.sluice.api.windowing.MergingWindowAssigner;
import io.sluice.api.windowing.TimeWindow;
import io.sluice.api.windowing.Trigger;
import io.sluice.api.windowing.triggers.EventTimeTrigger;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Event-time sessions: each record opens the window {@code [timestamp, timestamp + gap)}, and windows of a key that
 * overlap or touch merge, so a session is a run of records at most {@code gap} apart and ends {@code gap} after its
 * last record. A late record may bridge two sessions into one. Immutable.
 */
public final class EventTimeSessionWindows implements MergingWindowAssigner<Object, TimeWindow> {
    private final long gap;

    private EventTimeSessionWindows(long gap) {
        this.gap = gap;
    }

    public static EventTimeSessionWindows withGap(Duration gap) {
        return new EventTimeSessionWindows(Durations.positiveMillis(gap, "session gap"));
    }

    @Override
    public Collection<TimeWindow> assignWindows(Object element, long timestamp, AssignerContext context) {
        long ts = Durations.requireTimestamp(timestamp);
        return List.of(new TimeWindow(ts, ts + gap));
    }

    @Override
    public void mergeWindows(Collection<TimeWindow> windows, MergeCallback<TimeWindow> callback) {
        TimeWindow.mergeWindows(windows, callback);
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
        return "EventTimeSessionWindows(gap " + gap + " ms)";
    }
}
