package io.sluice.runtime.timer;

/**
 * A task's processing-time clock and its scheduled callbacks. Callbacks run on the task thread (as mails), so they may
 * touch operator state. The embedded cluster uses the wall clock; tests and the harness use {@link ManualProcessingTime}.
 */
public interface ProcessingTimeService {

    /** Milliseconds, as the operators' clock reads. */
    long currentTime();

    /** Runs {@code callback} on the task thread once the clock reaches {@code time} (at once if it has). */
    void scheduleAt(long time, Callback callback);

    /** Work to run at a processing time. */
    @FunctionalInterface
    interface Callback {
        void onProcessingTime(long time) throws Exception;
    }
}
