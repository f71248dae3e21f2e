package io.sluice.api.source;

import io.sluice.api.functions.OutputTag;

/**
 * Where a source reader emits records. Calls go straight into the task's operator chain. Task thread only.
 *
 * <p><b>Per-split watermarks.</b> A reader that knows which split a record comes from should emit it through
 * {@link #forSplit(String) forSplit(splitId)}: each split then gets its own watermark generator, and the source's
 * watermark is the minimum over its splits, so a split that is read ahead of another does not make the other's
 * records late. Call {@link #releaseSplit} when a split is finished, so it no longer holds the watermark back.
 * Records emitted directly on this output count as coming from one more, implicit split.
 *
 * <p><b>Side outputs.</b> A reader may emit records that are not part of its stream (records it could not read, for
 * instance) to a side output with {@link #output(OutputTag, Object)}; the job reads them with
 * {@code DataStream.getSideOutput(tag)} on the source's stream. They carry no timestamp and play no part in the
 * watermark. They count in the source's emitted records ({@code OperatorMetrics.recordsOut}) and, for whatever reads
 * the side output, in its received ones; a side output nothing reads drops its records.
 */
public interface SourceOutput<T> {

    /** Emits a record without a timestamp (unless the watermark strategy's timestamp assigner gives it one). */
    void collect(T record);

    /** Emits a record with an event-time timestamp in milliseconds. */
    void collect(T record, long timestamp);

    /**
     * The output for the records of split {@code splitId}: the same object for the same id until
     * {@link #releaseSplit}. Keep it while reading the split rather than looking it up per record. The default (for
     * outputs that do not track splits) is this output itself.
     */
    default SourceOutput<T> forSplit(String splitId) {
        return this;
    }

    /** The split {@code splitId} is finished: its watermark no longer counts. No-op by default. */
    default void releaseSplit(String splitId) {}

    /**
     * Emits {@code value} to the side output {@code tag}, without a timestamp. The runtime's outputs support it;
     * an output that wraps another must pass it on. The default refuses (an output with no side outputs).
     */
    default <X> void output(OutputTag<X> tag, X value) {
        throw new UnsupportedOperationException("this source output has no side outputs (side output '" + tag.id()
                + "')");
    }
}
