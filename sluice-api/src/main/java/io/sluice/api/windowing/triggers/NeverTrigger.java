package io.sluice.api.windowing.triggers;

import io.sluice.api.windowing.Trigger;
import io.sluice.api.windowing.TriggerResult;
import io.sluice.api.windowing.Window;

/** Never fires: the default of global windows, which need a trigger of their own. Stateless. */
public final class NeverTrigger implements Trigger<Object, Window> {
    private static final NeverTrigger INSTANCE = new NeverTrigger();

    private NeverTrigger() {}

    public static NeverTrigger create() {
        return INSTANCE;
    }

    @Override
    public TriggerResult onElement(Object element, long timestamp, Window window, TriggerContext context) {
        return TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onEventTime(long time, Window window, TriggerContext context) {
        return TriggerResult.CONTINUE;
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
    public void onMerge(Window window, OnMergeContext context) {}

    @Override
    public void clear(Window window, TriggerContext context) {}

    private Object readResolve() {
        return INSTANCE;
    }

    @Override
    public String toString() {
        return "NeverTrigger";
    }
}
