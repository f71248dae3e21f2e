package io.sluice.api.windowing;

import io.sluice.api.state.State;
import io.sluice.api.state.StateDescriptor;
import java.io.Serializable;

/**
 * Decides when a window is evaluated (fired) and when its contents are discarded (purged). Called for one key and
 * window at a time: on each record added to the window, and on timers the trigger registered through the context.
 * The built-ins are in {@link io.sluice.api.windowing.triggers}.
 *
 * <p>Threading and state: every method runs on the subtask's task thread, never concurrently. A trigger object is
 * shared by all keys and windows of a subtask, so it must keep no per-window data in fields: keep it in state from
 * {@link TriggerContext#getPartitionedState} (scoped to the current key and window) and ask the context for it in each
 * call. {@link #clear} must delete what the trigger registered and stored for the window.
 *
 * <p>Event-time windows are cleaned up (contents, trigger state, timers) when the watermark passes their
 * {@code maxTimestamp() + allowedLateness}; processing-time windows when the clock passes {@code maxTimestamp()}.
 *
 * @param <T> the records
 * @param <W> the windows
 */
public interface Trigger<T, W extends Window> extends Serializable {

    /** A record was added to {@code window}. */
    TriggerResult onElement(T element, long timestamp, W window, TriggerContext context) throws Exception;

    /** An event-time timer of this window registered through the context fired ({@code time} ≤ watermark). */
    TriggerResult onEventTime(long time, W window, TriggerContext context) throws Exception;

    /** A processing-time timer of this window registered through the context fired. */
    TriggerResult onProcessingTime(long time, W window, TriggerContext context) throws Exception;

    /** Whether the trigger supports merging windows ({@link #onMerge}); merging assigners require it. */
    default boolean canMerge() {
        return false;
    }

    /**
     * Windows were merged into {@code window}: re-register timers for it and merge per-window state with
     * {@link OnMergeContext#mergePartitionedState}. The merged windows are cleared ({@link #clear}) afterwards.
     */
    default void onMerge(W window, OnMergeContext context) throws Exception {
        throw new UnsupportedOperationException(getClass().getName() + " does not support merging windows");
    }

    /** The window is discarded: delete its timers and state. */
    void clear(W window, TriggerContext context) throws Exception;

    /** What a trigger may do for the current key and window. Valid only during the call it was passed to. */
    interface TriggerContext {

        long currentProcessingTime();

        long currentWatermark();

        /** Registers an event-time timer for the current key and window; the same time twice gives one timer. */
        void registerEventTimeTimer(long time);

        void deleteEventTimeTimer(long time);

        void registerProcessingTimeTimer(long time);

        void deleteProcessingTimeTimer(long time);

        /**
         * The state named by {@code descriptor}, scoped to the current key and window. Value, list, map, reducing and
         * aggregating state; only the latter four can be merged.
         */
        <S extends State> S getPartitionedState(StateDescriptor<S> descriptor);
    }

    /** The context of {@link #onMerge}: the current window is the merge result. */
    interface OnMergeContext extends TriggerContext {
        /** Merges the state named by {@code descriptor} of the merged windows into the current window. */
        void mergePartitionedState(StateDescriptor<?> descriptor);
    }
}
