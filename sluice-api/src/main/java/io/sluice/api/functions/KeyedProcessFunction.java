package io.sluice.api.functions;

/**
 * A process function on a keyed stream: keyed state and timers are scoped to the current key.
 *
 * <p>{@link #processElement} and {@link #onTimer} are called on the task thread, never concurrently.
 */
@FunctionalInterface
public interface KeyedProcessFunction<K, I, O> extends Function {

    void processElement(I value, Context<K> context, Collector<O> out) throws Exception;

    /**
     * Called when a timer registered through {@link Context#timerService()} fires; the current key is the timer's,
     * the context's timestamp is the timer's time, and {@link OnTimerContext#timeDomain()} says which clock fired.
     */
    default void onTimer(long timestamp, OnTimerContext<K> context, Collector<O> out) throws Exception {}

    /** The per-record (or per-timer) context. */
    interface Context<K> extends ElementContext {
        K currentKey();

        TimerService timerService();
    }

    /** The context of {@link #onTimer}. */
    interface OnTimerContext<K> extends Context<K> {
        TimeDomain timeDomain();
    }
}
