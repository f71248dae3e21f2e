package io.sluice.api.functions;

/**
 * Timers of the current key. Registering the same time twice for one key gives one timer. An event-time
 * timer fires once the watermark reaches its time; the end of a bounded input brings the watermark to
 * {@link Long#MAX_VALUE}, so every event-time timer fires before the job ends. Task thread only.
 */
public interface TimerService {

    /** Wall-clock time in milliseconds as the runtime sees it. */
    long currentProcessingTime();

    /** The current event-time watermark. */
    long currentWatermark();

    void registerEventTimeTimer(long time);

    void deleteEventTimeTimer(long time);
}
