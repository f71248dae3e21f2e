package io.sluice.runtime.operator;

import io.sluice.api.functions.KeyedProcessFunction;
import io.sluice.api.functions.TimeDomain;
import io.sluice.api.functions.TimerService;
import io.sluice.runtime.state.VoidNamespace;
import io.sluice.runtime.timer.TimerQueue;

/**
 * Plumbing of operators that run keyed user functions: the current key (set by the subclass from each record), user
 * timers kept in the keyed state backend, and the per-record / per-timer context. Event-time timers fire when the
 * watermark advances, before it is passed on; processing-time timers fire as mails when the task's clock reaches them.
 */
abstract class AbstractKeyedOperator<K> extends AbstractOperator
        implements KeyedProcessFunction.OnTimerContext<K>, TimerService, InternalTimerService.Target {
    private InternalTimerService timers;
    private TimeDomain firing;

    /** Runs the user function's timer callback; the current key and timestamp are the timer's. */
    protected abstract void onTimer(long time) throws Exception;

    @Override
    public void open(OperatorSetup setup) throws Exception {
        timers = new InternalTimerService(setup.stateBackend(), setup.stateBackend().timerQueues("user-timers", null),
                setup.processingTime(), this);
        timers.restart();
        super.open(setup);
    }

    /** Makes {@code key} current for the record about to be processed. */
    protected final void setCurrentKey(Object key, long recordTimestamp) {
        setup.stateBackend().setCurrentKey(key);
        timestamp = recordTimestamp;
        firing = null;
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

    private void fire(TimerQueue.Timer timer, TimeDomain domain) throws Exception {
        timestamp = timer.time();
        firing = domain;
        onTimer(timer.time());
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
