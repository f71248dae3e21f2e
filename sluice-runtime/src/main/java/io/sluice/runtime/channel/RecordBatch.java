package io.sluice.runtime.channel;

/**
 * Records travelling together through a channel, with their timestamps ({@link Long#MIN_VALUE} for none).
 * Filled by one producer, then handed over whole; the consumer only reads it. Records are passed by reference
 * in process, so emitted records must not be mutated afterwards (records and immutable values are the norm).
 */
public final class RecordBatch implements ChannelElement {
    final Object[] records;
    final long[] timestamps;
    int size;

    public RecordBatch(int capacity) {
        this.records = new Object[capacity];
        this.timestamps = new long[capacity];
    }

    private RecordBatch(Object[] records, long[] timestamps) {
        this.records = records;
        this.timestamps = timestamps;
        this.size = records.length;
    }

    /**
     * A full batch of {@code records} with their {@code timestamps} (equally long), which it takes over without
     * copying: for a reader that builds a batch whole, as the network channel's decoder does.
     */
    public static RecordBatch of(Object[] records, long[] timestamps) {
        if (records.length != timestamps.length) {
            throw new IllegalArgumentException(records.length + " records but " + timestamps.length + " timestamps");
        }
        return new RecordBatch(records, timestamps);
    }

    /** Appends; returns {@code true} when the batch is now full. */
    boolean add(Object record, long timestamp) {
        records[size] = record;
        timestamps[size] = timestamp;
        return ++size == records.length;
    }

    public int size() {
        return size;
    }

    public Object record(int i) {
        return records[i];
    }

    public long timestamp(int i) {
        return timestamps[i];
    }
}
