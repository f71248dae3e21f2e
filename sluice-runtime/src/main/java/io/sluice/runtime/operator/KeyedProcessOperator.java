package io.sluice.runtime.operator;

import io.sluice.api.functions.Collector;
import io.sluice.api.functions.Function;
import io.sluice.api.functions.KeySelector;
import io.sluice.api.functions.KeyedProcessFunction;
import io.sluice.api.functions.TimerService;
import io.sluice.runtime.timer.EventTimeTimers;

/**
 * Applies a {@link KeyedProcessFunction}: sets the current key from each record, so state and timers are the key's;
 * fires due event-time timers when the watermark advances, before passing the watermark on.
 */
public final class KeyedProcessOperator<K, IN, OUT> extends AbstractOperator
        implements OneInputOperator<IN>, KeyedProcessFunction.Context<K>, TimerService {
    private final KeySelector<IN, K> keySelector;
    private final KeyedProcessFunction<K, IN, OUT> function;
    private final EventTimeTimers timers = new EventTimeTimers();
    private final EventTimeTimers.Firing firing = this::fire;

    public KeyedProcessOperator(KeySelector<IN, K> keySelector, KeyedProcessFunction<K, IN, OUT> function) {
        this.keySelector = keySelector;
        this.function = function;
    }

    @Override
    protected Function function() {
        return function;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void processRecord(IN record, long ts) throws Exception {
        setup.stateBackend().setCurrentKey(keySelector.getKey(record));
        timestamp = ts;
        function.processElement(record, this, (Collector<OUT>) (Collector<?>) this);
    }

    @Override
    public void processWatermark(long wm) throws Exception {
        watermark = wm;
        timers.advanceTo(wm, firing);
        output.emitWatermark(wm);
    }

    @SuppressWarnings("unchecked")
    private void fire(EventTimeTimers.Timer timer) throws Exception {
        setup.stateBackend().setCurrentKey(timer.key());
        timestamp = timer.time();
        function.onTimer(timer.time(), this, (Collector<OUT>) (Collector<?>) this);
    }

    @Override
    @SuppressWarnings("unchecked")
    public K currentKey() {
        return (K) setup.stateBackend().currentKey();
    }

    @Override
    public TimerService timerService() {
        return this;
    }

    @Override
    public long currentProcessingTime() {
        return System.currentTimeMillis();
    }

    @Override
    public void registerEventTimeTimer(long time) {
        timers.register(setup.stateBackend().currentKey(), time);
    }

    @Override
    public void deleteEventTimeTimer(long time) {
        timers.delete(setup.stateBackend().currentKey(), time);
    }
}
