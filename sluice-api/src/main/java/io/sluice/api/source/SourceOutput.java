package io.sluice.api.source;

/**
 * Where a source reader emits records. Calls go straight into the task's operator chain. Task thread only.
 *
 * <p><b>Per-split watermarks.</b> A reader that knows which split a record comes from should emit it through
 * {@link #forSplit(String) forSplit(splitId)}: each split then gets its own watermark generator, and the source's
 * watermark is the minimum over its splits, so a split that is read ahead of another does not make the other's
 * records late. Call {@link #releaseSplit} when a split is finished, so it no longer holds the watermark back.
 * Records emitted directly on this output count as coming from one more, implicit split.
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
}
