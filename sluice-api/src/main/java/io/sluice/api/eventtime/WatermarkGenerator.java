package io.sluice.api.eventtime;

/**
 * Generates watermarks for one input: one split of a source, or one subtask of an
 * {@code assignTimestampsAndWatermarks} operator. Each such input gets its own generator instance, created from the
 * strategy's {@link WatermarkGeneratorSupplier}, so a generator's fields need no synchronization.
 *
 * <p>Call order: {@link #onEvent} for every record, in the order of the input, after the record went downstream;
 * {@link #onPeriodicEmit} every {@code JobConfig.autoWatermarkIntervalMillis} of processing time (never, if that is
 * 0). Both on the task thread, never concurrently. A generator may emit in either: per record for punctuated
 * watermarks, periodically for the usual "maximum seen minus a bound".
 */
public interface WatermarkGenerator<T> {

    /** Sees one record and its (assigned) timestamp ({@link Long#MIN_VALUE} if it has none). */
    void onEvent(T event, long timestamp, WatermarkOutput output);

    /** Called periodically; emit the current watermark here if it is not emitted per record. */
    void onPeriodicEmit(WatermarkOutput output);
}
