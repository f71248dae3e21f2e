package io.sluice.cli.soak;

import java.io.Serializable;

/**
 * The seeded input of one round, defined record by record so that the job reads it and the oracle recomputes it
 * without sharing any other code. There are {@code splits × recordsPerSplit} records; record {@code id} belongs to split
 * {@code id / recordsPerSplit} at position {@code seq = id % recordsPerSplit}, has event time {@code seq} (ms, so all
 * splits advance through event time together) and a key and value that are pure functions of the seed and the id. Keys
 * are skewed (low keys are hot), as real keys are. Event time is cut into buckets of {@code bucketMillis}.
 *
 * <p>Immutable and serializable: it travels in the job graph to the source and the functions. Thread-safe.
 *
 * @param recordsPerSecond how fast the source emits, over all splits (the round's duration is records / rate)
 */
public record SoakInput(long seed, int splits, int recordsPerSplit, int keys, int bucketMillis, double recordsPerSecond)
        implements Serializable {

    public SoakInput {
        if (splits < 1 || recordsPerSplit < 1 || keys < 1 || bucketMillis < 1 || !(recordsPerSecond > 0)) {
            throw new IllegalArgumentException("bad soak input: " + splits + " splits of " + recordsPerSplit + " records, "
                    + keys + " keys, buckets of " + bucketMillis + " ms, " + recordsPerSecond + " records/s");
        }
    }

    /** How many records there are. */
    public long records() {
        return (long) splits * recordsPerSplit;
    }

    /** The split record {@code id} belongs to. */
    public int split(long id) {
        return (int) (id / recordsPerSplit);
    }

    /** Record {@code id}'s position in its split, which is also its event time. */
    public long seq(long id) {
        return id % recordsPerSplit;
    }

    /** The id of the record at position {@code seq} of split {@code split}. */
    public long id(int split, long seq) {
        return (long) split * recordsPerSplit + seq;
    }

    public long timestamp(long id) {
        return seq(id);
    }

    /** The key of record {@code id}, in {@code [0, keys)}; squaring a uniform draw makes low keys hot. */
    public int key(long id) {
        double u = (SoakSeeds.mix(seed ^ SoakSeeds.mix(id)) >>> 11) * 0x1.0p-53;
        return (int) (keys * u * u);
    }

    /** The value of record {@code id}, in {@code [1, 1000]}. */
    public long value(long id) {
        return 1 + Long.remainderUnsigned(SoakSeeds.mix(~seed ^ SoakSeeds.mix(id + 1)), 1000);
    }

    /** The event-time bucket of {@code timestamp}. */
    public long bucket(long timestamp) {
        return timestamp / bucketMillis;
    }

    /** The last millisecond of bucket {@code bucket}: its timer's time. */
    public long bucketEnd(long bucket) {
        return (bucket + 1) * bucketMillis - 1;
    }
}
