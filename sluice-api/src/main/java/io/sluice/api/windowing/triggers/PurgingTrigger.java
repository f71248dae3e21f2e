package io.sluice.api.windowing.triggers;

import io.sluice.api.windowing.Trigger;
import io.sluice.api.windowing.TriggerResult;
import io.sluice.api.windowing.Window;
import java.util.Objects;

/**
 * Another trigger whose every firing also purges: {@code FIRE} becomes {@code FIRE_AND_PURGE}, so each firing sees
 * only the records added since the previous one.
 */
public final class PurgingTrigger<T, W extends Window> implements Trigger<T, W> {
    private final Trigger<T, W> nested;

    private PurgingTrigger(Trigger<T, W> nested) {
        this.nested = Objects.requireNonNull(nested, "trigger");
    }

    public static <T, W extends Window> PurgingTrigger<T, W> of(Trigger<T, W> nested) {
        return new PurgingTrigger<>(nested);
    }

    private static TriggerResult purging(TriggerResult r) {
        return r.isFire() ? TriggerResult.FIRE_AND_PURGE : r;
    }

    @Override
    public TriggerResult onElement(T element, long timestamp, W window, TriggerContext context) throws Exception {
        return purging(nested.onElement(element, timestamp, window, context));
    }

    @Override
    public TriggerResult onEventTime(long time, W window, TriggerContext context) throws Exception {
        return purging(nested.onEventTime(time, window, context));
    }

    @Override
    public TriggerResult onProcessingTime(long time, W window, TriggerContext context) throws Exception {
        return purging(nested.onProcessingTime(time, window, context));
    }

    @Override
    public boolean canMerge() {
        return nested.canMerge();
    }

    @Override
    public void onMerge(W window, OnMergeContext context) throws Exception {
        nested.onMerge(window, context);
    }

    @Override
    public void clear(W window, TriggerContext context) throws Exception {
        nested.clear(window, context);
    }

    @Override
    public String toString() {
        return "PurgingTrigger(" + nested + ")";
    }
}
