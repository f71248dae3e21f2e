package io.sluice.runtime.operator;

import io.sluice.api.functions.Collector;
import io.sluice.api.functions.Function;
import io.sluice.api.functions.KeySelector;
import io.sluice.api.functions.KeyedProcessFunction;
import io.sluice.api.functions.TimeDomain;
import io.sluice.api.functions.TimerService;
import io.sluice.runtime.state.VoidNamespace;
import io.sluice.runtime.timer.InternalTimerService;
import io.sluice.runtime.timer.TimerQueue;

/**
 * Applies a {@link KeyedProcessFunction}: sets the current key from each record, so state and timers are the key's;
 * fires due event-time timers when the watermark advances (before passing it on) and processing-time timers when
 * the task's clock reaches them.
 */
public final class KeyedProcessOperator<K, IN, OUT> extends AbstractOperator
        implements OneInputOperator<IN>, KeyedProcessFunction.OnTimerContext<K>, TimerService, InternalTimerService.Target {
    private final KeySelector<IN, K> keySelector;
    private final KeyedProcessFunction<K, IN, OUT> function;
    private InternalTimerService timers;
    private TimeDomain firing;

    public KeyedProcessOperator(KeySelector<IN, K> keySelector, KeyedProcessFunction<K, IN, OUT> function) {
        this.keySelector = keySelector;
        this.function = function;
    }

    @Override
    protected Function function() {
        return function;
    }

    @Override
    public void open(OperatorSetup setup) throws Exception {
        timers = new InternalTimerService(setup.stateBackend(), setup.stateBackend().timerQueues("user-timers", null),
                setup.processingTime(), this);
        timers.restart();
        super.open(setup);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void processRecord(IN record, long ts) throws Exception {
        setup.stateBackend().setCurrentKey(keySelector.getKey(record));
        timestamp = ts;
        firing = null;
        function.processElement(record, this, (Collector<OUT>) (Collector<?>) this);
    }

    @Override
    public void processWatermark(long wm) throws Exception {
        watermark = wm;
        timers.advanceWatermark(wm);
        output.emitWatermark(wm);
    }

    @Override
    public void onEventTime(TimerQueue.Timer timer) throws Exception {
        fire(timer, TimeDomain.EVENT_TIME);
    }

    @Override
    public void onProcessingTime(TimerQueue.Timer timer) throws Exception {
        try {
            fire(timer, TimeDomain.PROCESSING_TIME);
        } catch (OperatorException e) {
            throw e;
        } catch (Exception | Error e) {
            throw new OperatorException(setup.name(), e); // runs as a mail: name the operator here
        }
    }

    @SuppressWarnings("unchecked")
    private void fire(TimerQueue.Timer timer, TimeDomain domain) throws Exception {
        timestamp = timer.time();
        firing = domain;
        function.onTimer(timer.time(), this, (Collector<OUT>) (Collector<?>) this);
        firing = null;
    }

    @Override
    public TimeDomain timeDomain() {
        if (firing == null) {
            throw new IllegalStateException("timeDomain() is only defined in onTimer");
        }
        return firing;
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
        return timers.currentProcessingTime();
    }

    @Override
    public void registerEventTimeTimer(long time) {
        timers.registerEventTimeTimer(VoidNamespace.INSTANCE, time);
    }

    @Override
    public void deleteEventTimeTimer(long time) {
        timers.deleteEventTimeTimer(VoidNamespace.INSTANCE, time);
    }

    @Override
    public void registerProcessingTimeTimer(long time) {
        timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, time);
    }

    @Override
    public void deleteProcessingTimeTimer(long time) {
        timers.deleteProcessingTimeTimer(VoidNamespace.INSTANCE, time);
    }
}
