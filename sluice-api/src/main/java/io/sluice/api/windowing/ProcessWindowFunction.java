package io.sluice.api.windowing;

import io.sluice.api.functions.OutputTag;
import io.sluice.api.functions.Collector;
import io.sluice.api.functions.Function;

/**
 * Evaluates a window when its trigger fires: gets the key, the window and its elements (all records, or the single
 * pre-aggregated value when combined with a reduce or aggregate function) and emits any number of results. Emitted
 * records carry the timestamp {@code window.maxTimestamp()}.
 *
 * <p>Called on the subtask's task thread, never concurrently; {@code open} can get keyed state (per key, across
 * windows) from its runtime context.
 *
 * @param <IN>  the elements
 * @param <OUT> the results
 * @param <K>   the key
 * @param <W>   the window
 */
@FunctionalInterface
public interface ProcessWindowFunction<IN, OUT, K, W extends Window> extends Function {

    /**
     * @param elements the window's elements in arrival order; valid only during the call
     */
    void process(K key, Context<W> context, Iterable<IN> elements, Collector<OUT> out) throws Exception;

    /** What the function knows while it evaluates a window. Valid only during the call. */
    interface Context<W extends Window> {
        W window();

        long currentProcessingTime();

        long currentWatermark();

        /** Emits to a side output, with timestamp {@code window().maxTimestamp()}. */
        <X> void output(OutputTag<X> tag, X value);
    }
}
