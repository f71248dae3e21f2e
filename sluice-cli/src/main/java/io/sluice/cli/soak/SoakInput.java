package io.sluice.cli.soak;

import java.io.Serializable;

/**
 * The seeded input of one round, defined record by record so that the job reads it and the oracle recomputes it
 * without sharing any other code. Split {@code j} holds {@link #splitLength(int) splitLength(j)} records (all {@code
 * recordsPerSplit}, or with uneven splits fewer for every split but the first, so that some source subtasks finish
 * while others still read); record {@code id} belongs to split {@code id / recordsPerSplit} at position {@code seq =
 * id % recordsPerSplit}, has event time {@code seq} (ms, so all splits advance through event time together) and a key
 * and value that are pure functions of the seed and the id. Keys are skewed (low keys are hot), as real keys are.
 * Event time is cut into buckets of {@code bucketMillis}.
 *
 * <p>Immutable and serializable: it travels in the job graph to the source and the functions. Thread-safe.
 *
 * @param recordsPerSecond how fast the source emits while every split is read, over all splits
 */
public record SoakInput(long seed, int splits, int recordsPerSplit, boolean unevenSplits, int keys, int bucketMillis,
        double recordsPerSecond) implements Serializable {

    public SoakInput {
        if (splits < 1 || recordsPerSplit < 1 || keys < 1 || bucketMillis < 1 || !(recordsPerSecond > 0)) {
            throw new IllegalArgumentException("bad soak input: " + splits + " splits of " + recordsPerSplit + " records, "
                    + keys + " keys, buckets of " + bucketMillis + " ms, " + recordsPerSecond + " records/s");
        }
    }

    /** How many records split {@code split} holds: {@code recordsPerSplit}, or 20–100% of it if splits are uneven. */
    public long splitLength(int split) {
        if (!unevenSplits || split == 0) {
            return recordsPerSplit;
        }
        double u = (SoakSeeds.mix(seed * 31 + split) >>> 11) * 0x1.0p-53;
        return Math.max(1, (long) (recordsPerSplit * (0.2 + 0.8 * u)));
    }

    /** How many records there are. */
    public long records() {
        long records = 0;
        for (int split = 0; split < splits; split++) {
            records += splitLength(split);
        }
        return records;
    }

    /** How long reading takes without failures: the longest split at its share of the rate. */
    public long durationMillis() {
        return Math.round(recordsPerSplit * (double) splits / recordsPerSecond * 1000);
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
