package io.sluice.api.eventtime;

/**
 * Where a {@link WatermarkGenerator} announces progress in event time.
 *
 * <p>Threading: called by the generator only, on the task thread that calls the generator.
 */
public interface WatermarkOutput {

    /**
     * No record with a timestamp at or below {@code watermark} is expected any more from this input. A value not above
     * the last one emitted is ignored (watermarks never go back). Emitting an advancing watermark marks the input active.
     */
    void emitWatermark(long watermark);

    /**
     * This input will send nothing for a while: it stops holding back the watermark of whatever combines it with other
     * inputs (the other splits of a source, the other channels of a task) until it emits a record or an advancing
     * watermark, or calls {@link #markActive()}.
     */
    void markIdle();

    /** Ends an idle period announced with {@link #markIdle()}. */
    void markActive();
}
