package io.sluice.api.functions;

/**
 * Timers of the current key. Registering the same time twice for one key and domain gives one timer. An event-time
 * timer fires once the watermark reaches its time; the end of a bounded input brings the watermark to
 * {@link Long#MAX_VALUE}, so every event-time timer fires before the job ends. A processing-time timer fires once
 * the task's clock reaches its time (pending processing-time timers do not fire when a bounded job ends).
 * Timers are kept in the state backend and snapshotted with it. Task thread only.
 */
public interface TimerService {

    /** The task's clock in milliseconds (wall clock, or a manual clock in tests). */
    long currentProcessingTime();

    /** The current event-time watermark. */
    long currentWatermark();

    void registerEventTimeTimer(long time);

    void deleteEventTimeTimer(long time);

    void registerProcessingTimeTimer(long time);

    void deleteProcessingTimeTimer(long time);
}
