package io.sluice.api.functions;

import io.sluice.api.state.MapState;
import io.sluice.api.state.MapStateDescriptor;

/**
 * Processes a keyed stream together with a broadcast stream: like {@link BroadcastProcessFunction}, and the data side
 * also has keyed state and timers scoped to the current record's key. The broadcast side has no current key.
 */
public interface KeyedBroadcastProcessFunction<K, IN, BC, O> extends Function {

    void processElement(IN value, ReadOnlyContext<K> context, Collector<O> out) throws Exception;

    void processBroadcastElement(BC value, BroadcastProcessFunction.Context context, Collector<O> out) throws Exception;

    /** Called when a timer registered on the data side fires; the current key is the timer's. */
    default void onTimer(long timestamp, OnTimerContext<K> context, Collector<O> out) throws Exception {}

    /** The data side's context: keyed timers, read-only broadcast state. */
    interface ReadOnlyContext<K> extends KeyedProcessFunction.Context<K> {
        <KB, VB> MapState<KB, VB> getBroadcastState(MapStateDescriptor<KB, VB> descriptor);
    }

    /** The context of {@link #onTimer}. */
    interface OnTimerContext<K> extends ReadOnlyContext<K> {
        TimeDomain timeDomain();
    }
}
