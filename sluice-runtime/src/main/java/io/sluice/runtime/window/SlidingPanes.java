package io.sluice.runtime.window;

import io.sluice.api.functions.AggregateFunction;
import io.sluice.api.graph.OperatorSpec;
import io.sluice.api.graph.WindowFunctionSpec;
import io.sluice.api.state.AggregatingStateDescriptor;
import io.sluice.api.types.TypeSerializer;
import io.sluice.api.windowing.TimeWindow;
import io.sluice.api.windowing.assigners.SlidingEventTimeWindows;
import io.sluice.api.windowing.triggers.EventTimeTrigger;
import io.sluice.runtime.state.InternalAppendingState;
import io.sluice.runtime.state.InternalKeyedState;
import io.sluice.runtime.state.KeyedStateBackend;

/**
 * Sliding event-time windows with an aggregate function, kept as panes: a record updates the one accumulator of its
 * pane ({@code slide} long) instead of one per window ({@code size / slide} of them), and a window's result merges the
 * accumulators of its panes when it fires. The same results as window-by-window evaluation (the aggregate's
 * {@code merge} combines partial accumulators); a pane is dropped when the last window containing it has fired.
 *
 * <p>Used by {@link WindowOperator} when it applies: sliding event-time windows whose size is a multiple of the slide,
 * the default event-time trigger, no evictor, no allowed lateness, an aggregate function (with or without a process
 * window function). Task thread only.
 */
final class SlidingPanes {
    static final String PANES_STATE = "window-panes";

    private final long size;
    private final long slide;
    private final long offset;
    private final AggregateFunction<Object, Object, Object> aggregate;
    private final InternalAppendingState panes;
    private final InternalKeyedState namespaced;
    /**
     * The panes and windows last handed out, in rings by start: one instance per pane or window, so state keys and
     * timers holding them compare by identity instead of loading the stored window's fields (a cache miss per key).
     */
    private final TimeWindow[] recentPanes;
    private final TimeWindow[] recentWindows;
    private boolean nextWindowHasPanes;

    @SuppressWarnings("unchecked")
    SlidingPanes(SlidingEventTimeWindows assigner, WindowFunctionSpec.Aggregate function, KeyedStateBackend backend) {
        this.size = assigner.sizeMillis();
        this.slide = assigner.slideMillis();
        this.offset = assigner.offsetMillis();
        this.aggregate = (AggregateFunction<Object, Object, Object>) function.aggregate();
        int live = (int) (size / slide) * 2 + 2; // a window's panes and the next ones records may still reach
        this.recentPanes = new TimeWindow[live];
        this.recentWindows = new TimeWindow[live];
        Object state = backend.getNamespacedState(new AggregatingStateDescriptor<>(PANES_STATE, aggregate,
                (TypeSerializer<Object>) function.accumulatorType()), TimeWindow.serializer());
        this.panes = (InternalAppendingState) state;
        this.namespaced = (InternalKeyedState) state;
    }

    /** Whether the windows of {@code spec} can be kept as panes. */
    static boolean applies(OperatorSpec.WindowSpec spec) {
        return spec.assigner() instanceof SlidingEventTimeWindows s && s.sizeMillis() % s.slideMillis() == 0
                && spec.trigger() instanceof EventTimeTrigger && spec.evictor() == null
                && spec.allowedLatenessMillis() == 0 && spec.function() instanceof WindowFunctionSpec.Aggregate;
    }

    /** The pane holding {@code timestamp}. */
    TimeWindow paneOf(long timestamp) {
        return pane(TimeWindow.windowStart(timestamp, offset, slide));
    }

    /** The pane starting at {@code start} (a pane boundary): the same instance while it is recent (no allocation). */
    TimeWindow pane(long start) {
        return recent(recentPanes, start, slide);
    }

    /** The window starting at {@code start} (a pane boundary): the same instance while it is recent. */
    TimeWindow window(long start) {
        return recent(recentWindows, start, size);
    }

    private TimeWindow recent(TimeWindow[] ring, long start, long length) {
        int i = (int) Math.floorMod(Math.floorDiv(start - offset, slide), (long) ring.length);
        TimeWindow w = ring[i];
        if (w == null || w.start() != start) {
            w = new TimeWindow(start, start + length);
            ring[i] = w;
        }
        return w;
    }

    /** The end ({@code maxTimestamp + 1}) of the last window containing {@code pane}. */
    long lastWindowEnd(TimeWindow pane) {
        return pane.start() + size;
    }

    /** The windows containing {@code pane}, by their ends: {@code pane.end()}, then every {@code slide} up to {@link #lastWindowEnd}. */
    long slide() {
        return slide;
    }

    /** Adds a record to the current key's {@code pane}; {@code true} if the pane had nothing for the key before. */
    boolean add(Object record, TimeWindow pane) throws Exception {
        namespaced.setCurrentNamespace(pane);
        return panes.addAndTellIfNew(record);
    }

    /**
     * The current key's result for {@code window} (merging its panes' accumulators), or {@code null} if it has none.
     * Afterwards {@link #nextWindowHasPanes} tells whether the key has a pane in the next window too.
     */
    Object result(TimeWindow window) {
        Object merged = null;
        nextWindowHasPanes = false;
        for (long start = window.start(); start < window.end(); start += slide) {
            namespaced.setCurrentNamespace(pane(start));
            Object acc = panes.accumulator();
            if (acc != null) {
                nextWindowHasPanes |= start != window.start(); // all panes but the oldest are in the next window
                // A fresh accumulator first: merge may reuse its first argument, and the panes' must stay as they are.
                merged = aggregate.merge(merged == null ? aggregate.createAccumulator() : merged, acc);
            }
        }
        return merged == null ? null : aggregate.getResult(merged);
    }

    /**
     * Whether the window after the one {@link #result} was last asked for holds one of the key's panes that exist now
     * (one of that window's panes but its newest: the newest registers its own timer with its first record).
     */
    boolean nextWindowHasPanes() {
        return nextWindowHasPanes;
    }

    /** Drops the current key's {@code pane}. */
    void drop(TimeWindow pane) {
        namespaced.setCurrentNamespace(pane);
        ((io.sluice.api.state.State) panes).clear();
    }
}
