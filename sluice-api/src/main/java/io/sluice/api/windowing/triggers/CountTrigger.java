package io.sluice.api.windowing.triggers;

import io.sluice.api.functions.ReduceFunction;
import io.sluice.api.state.ReducingState;
import io.sluice.api.state.ReducingStateDescriptor;
import io.sluice.api.types.Types;
import io.sluice.api.windowing.Trigger;
import io.sluice.api.windowing.TriggerResult;
import io.sluice.api.windowing.Window;

/**
 * Fires a window each time {@code maxCount} more records have been added to it (the count restarts after each
 * firing). The count is per-window trigger state; merged windows add their counts. Wrap it in {@link PurgingTrigger}
 * to discard the contents on each firing. Note: with time windows, records still counted when the window ends are
 * not fired by this trigger; the window's cleanup discards them.
 */
public final class CountTrigger implements Trigger<Object, Window> {
    private final long maxCount;
    private final ReducingStateDescriptor<Long> countDescriptor =
            new ReducingStateDescriptor<>("count-trigger", new Sum(), Types.LONG);

    private CountTrigger(long maxCount) {
        if (maxCount < 1) {
            throw new IllegalArgumentException("the count of a count trigger must be at least 1, was " + maxCount);
        }
        this.maxCount = maxCount;
    }

    public static CountTrigger of(long maxCount) {
        return new CountTrigger(maxCount);
    }

    @Override
    public TriggerResult onElement(Object element, long timestamp, Window window, TriggerContext context) {
        ReducingState<Long> count = context.getPartitionedState(countDescriptor);
        count.add(1L);
        if (count.get() >= maxCount) {
            count.clear();
            return TriggerResult.FIRE;
        }
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
    public void onMerge(Window window, OnMergeContext context) {
        context.mergePartitionedState(countDescriptor);
    }

    @Override
    public void clear(Window window, TriggerContext context) {
        context.getPartitionedState(countDescriptor).clear();
    }

    @Override
    public String toString() {
        return "CountTrigger(" + maxCount + ")";
    }

    private static final class Sum implements ReduceFunction<Long> {
        @Override
        public Long reduce(Long a, Long b) {
            return a + b;
        }
    }
}
