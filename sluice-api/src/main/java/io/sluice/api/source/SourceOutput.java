package io.sluice.api.source;

/** Where a source reader emits records. Calls go straight into the task's operator chain. */
public interface SourceOutput<T> {

    /** Emits a record without a timestamp. */
    void collect(T record);

    /** Emits a record with an event-time timestamp in milliseconds. */
    void collect(T record, long timestamp);
}
