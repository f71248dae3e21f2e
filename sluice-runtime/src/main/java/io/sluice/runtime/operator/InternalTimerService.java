package io.sluice.runtime.operator;

import io.sluice.runtime.state.KeyedStateBackend;
import io.sluice.runtime.timer.ProcessingTimeService;
import io.sluice.runtime.timer.TimerQueue;
import io.sluice.runtime.timer.TimerQueues;

/**
 * An operator's timers: event-time timers fire as the watermark passes them, processing-time timers when the task's
 * clock reaches them. Before each firing the backend's current key is set to the timer's key. The queues live in the
 * keyed state backend, so they are snapshotted and restored with the state; after a restore, {@link #restart()}
 * schedules the earliest processing-time timer again. Task thread only.
 */
public final class InternalTimerService {

    /** What runs when a timer fires; the timer's key is the current key. */
    public interface Target {
        void onEventTime(TimerQueue.Timer timer) throws Exception;

        void onProcessingTime(TimerQueue.Timer timer) throws Exception;
    }

    private final KeyedStateBackend backend;
    private final TimerQueues queues;
    private final ProcessingTimeService processingTime;
    private final Target target;
    /** The earliest time a processing-time callback is scheduled for; avoids one callback per timer. */
    private long scheduledFor = Long.MAX_VALUE;
    private long watermark = Long.MIN_VALUE;

    public InternalTimerService(KeyedStateBackend backend, TimerQueues queues, ProcessingTimeService processingTime,
            Target target) {
        this.backend = backend;
        this.queues = queues;
        this.processingTime = processingTime;
        this.target = target;
    }

    public long currentWatermark() {
        return watermark;
    }

    public long currentProcessingTime() {
        return processingTime.currentTime();
    }

    public void registerEventTimeTimer(Object namespace, long time) {
        queues.eventTime().put(new TimerQueue.Timer(time, backend.currentKey(), namespace));
    }

    public void deleteEventTimeTimer(Object namespace, long time) {
        queues.eventTime().remove(new TimerQueue.Timer(time, backend.currentKey(), namespace));
    }

    public void registerProcessingTimeTimer(Object namespace, long time) {
        if (queues.processingTime().add(new TimerQueue.Timer(time, backend.currentKey(), namespace))) {
            scheduleIfEarlier(time);
        }
    }

    public void deleteProcessingTimeTimer(Object namespace, long time) {
        queues.processingTime().remove(new TimerQueue.Timer(time, backend.currentKey(), namespace));
    }

    /** Fires every event-time timer at or before {@code newWatermark}, in time order. */
    public void advanceWatermark(long newWatermark) throws Exception {
        watermark = newWatermark;
        TimerQueue.Timer t;
        while ((t = queues.eventTime().pollDue(newWatermark)) != null) {
            backend.setCurrentKey(t.key());
            target.onEventTime(t);
        }
    }

    /** After a restore: schedules the earliest restored processing-time timer. */
    public void restart() {
        TimerQueue.Timer first = queues.processingTime().peek();
        if (first != null) {
            scheduleIfEarlier(first.time());
        }
    }

    private void scheduleIfEarlier(long time) {
        if (time < scheduledFor) {
            scheduledFor = time;
            processingTime.scheduleAt(time, this::onProcessingTime);
        }
    }

    private void onProcessingTime(long time) throws Exception {
        if (time != scheduledFor) {
            return; // superseded by an earlier schedule that already ran the due timers
        }
        scheduledFor = Long.MAX_VALUE;
        long now = processingTime.currentTime();
        TimerQueue.Timer t;
        while ((t = queues.processingTime().pollDue(now)) != null) {
            backend.setCurrentKey(t.key());
            target.onProcessingTime(t);
        }
        TimerQueue.Timer next = queues.processingTime().peek();
        if (next != null) {
            scheduleIfEarlier(next.time());
        }
    }
}
