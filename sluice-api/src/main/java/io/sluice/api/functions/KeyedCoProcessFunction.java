package io.sluice.api.functions;

/**
 * A function of two connected keyed streams (keyed by equal keys): keyed state and timers are scoped to the key of
 * the current record, whichever input it came from. The methods are called on one thread, never concurrently.
 */
public interface KeyedCoProcessFunction<K, A, B, O> extends Function {

    void processElement1(A value, KeyedProcessFunction.Context<K> context, Collector<O> out) throws Exception;

    void processElement2(B value, KeyedProcessFunction.Context<K> context, Collector<O> out) throws Exception;

    /** Called when a timer fires; the current key is the timer's. */
    default void onTimer(long timestamp, KeyedProcessFunction.OnTimerContext<K> context, Collector<O> out) throws Exception {}
}
