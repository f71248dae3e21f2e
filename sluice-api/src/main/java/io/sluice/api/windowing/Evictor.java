package io.sluice.api.windowing;

import java.io.Serializable;
import java.util.List;

/**
 * Removes elements from a window when it fires, before and/or after the window function runs. A window with an
 * evictor keeps all its records (no incremental aggregation): reduce and aggregate functions are applied to what is
 * left after {@link #evictBefore}. Built-ins: {@link io.sluice.api.windowing.evictors.CountEvictor},
 * {@link io.sluice.api.windowing.evictors.TimeEvictor}.
 *
 * <p>Runs on the task thread; an evictor object is shared by all keys and windows of a subtask, so it keeps no
 * per-window data in fields.
 *
 * @param <T> the records
 * @param <W> the windows
 */
public interface Evictor<T, W extends Window> extends Serializable {

    /**
     * Before the window function: remove elements from {@code elements} (a mutable list in arrival order, e.g. with
     * {@code removeIf} or its iterator) to evict them. Do not add any.
     *
     * @param size the number of elements, {@code elements.size()}
     */
    void evictBefore(List<TimestampedValue<T>> elements, int size, W window, EvictorContext context);

    /** After the window function: the same, for what stays in the window for later firings. */
    void evictAfter(List<TimestampedValue<T>> elements, int size, W window, EvictorContext context);

    /** What an evictor may look at. */
    interface EvictorContext {
        long currentProcessingTime();

        long currentWatermark();
    }
}
