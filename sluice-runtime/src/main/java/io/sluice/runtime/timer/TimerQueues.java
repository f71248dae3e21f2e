package io.sluice.runtime.timer;

/**
 * The event-time and processing-time timers of one timer service, owned by a keyed state backend so they are
 * snapshotted and restored with the state.
 */
public record TimerQueues(TimerQueue eventTime, TimerQueue processingTime) {
    public TimerQueues() {
        this(new BucketedTimerQueue(), new BucketedTimerQueue());
    }
}
