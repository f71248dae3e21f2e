package io.sluice.api.windowing.triggers;

import io.sluice.api.windowing.Trigger;
import io.sluice.api.windowing.TriggerResult;
import io.sluice.api.windowing.Window;

/**
 * Fires a window once the watermark passes its {@code maxTimestamp()}, through an event-time timer. A record added to
 * a window the watermark has already passed (a late record within the allowed lateness) fires it again at once, with
 * the updated contents. Supports merging. Stateless.
 */
public final class EventTimeTrigger implements Trigger<Object, Window> {
    private static final EventTimeTrigger INSTANCE = new EventTimeTrigger();

    private EventTimeTrigger() {}

    public static EventTimeTrigger create() {
        return INSTANCE;
    }

    @Override
    public TriggerResult onElement(Object element, long timestamp, Window window, TriggerContext context) {
        if (window.maxTimestamp() <= context.currentWatermark()) {
            return TriggerResult.FIRE; // a late record: fire at once
        }
        context.registerEventTimeTimer(window.maxTimestamp());
        return TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onEventTime(long time, Window window, TriggerContext context) {
        return time == window.maxTimestamp() ? TriggerResult.FIRE : TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onProcessingTime(long time, Window window, TriggerContext context) {
        return TriggerResult.CONTINUE;
    }

    @Override
    public boolean canMerge() {
        return true;
    }

    @Override
    public void onMerge(Window window, OnMergeContext context) {
        // Only while the merged window is not yet due: if it is, the record that caused the merge fires it.
        if (window.maxTimestamp() > context.currentWatermark()) {
            context.registerEventTimeTimer(window.maxTimestamp());
        }
    }

    @Override
    public void clear(Window window, TriggerContext context) {
        context.deleteEventTimeTimer(window.maxTimestamp());
    }

    private Object readResolve() {
        return INSTANCE;
    }

    @Override
    public String toString() {
        return "EventTimeTrigger";
    }
}
