package io.sluice.runtime.timer;

/**
 * The live buckets of a {@link BucketedTimerQueue} by time: open addressing over a {@code long[]} of times (linear
 * probing, load at most 1/2, backward-shift deletion), so a lookup compares primitives and boxes nothing. Task
 * thread only.
 */
final class TimeBucketMap {
    private static final int MIN_CAPACITY = 16;

    private long[] times = new long[MIN_CAPACITY];
    private TimerBucket[] buckets = new TimerBucket[MIN_CAPACITY];
    private int size;

    /** The bucket of {@code time}, or {@code null}. */
    TimerBucket get(long time) {
        int mask = buckets.length - 1;
        for (int i = home(time, mask); buckets[i] != null; i = (i + 1) & mask) {
            if (times[i] == time) {
                return buckets[i];
            }
        }
        return null;
    }

    /** Adds the bucket of a time that has none. */
    void put(TimerBucket bucket) {
        if ((size + 1) * 2 > buckets.length) {
            grow();
        }
        insert(bucket);
        size++;
    }

    /** Removes the bucket of {@code time}, if any. */
    void remove(long time) {
        int mask = buckets.length - 1;
        int i = home(time, mask);
        while (buckets[i] != null && times[i] != time) {
            i = (i + 1) & mask;
        }
        if (buckets[i] == null) {
            return;
        }
        int gap = i;
        for (i = (i + 1) & mask; buckets[i] != null; i = (i + 1) & mask) {
            // Move entry i into the gap if the gap lies on its probe path (between its home and i, cyclically).
            if (((i - home(times[i], mask)) & mask) >= ((i - gap) & mask)) {
                times[gap] = times[i];
                buckets[gap] = buckets[i];
                gap = i;
            }
        }
        buckets[gap] = null;
        size--;
    }

    private void insert(TimerBucket bucket) {
        int mask = buckets.length - 1;
        int i = home(bucket.time, mask);
        while (buckets[i] != null) {
            i = (i + 1) & mask;
        }
        times[i] = bucket.time;
        buckets[i] = bucket;
    }

    private void grow() {
        TimerBucket[] old = buckets;
        times = new long[old.length * 2];
        buckets = new TimerBucket[old.length * 2];
        for (TimerBucket b : old) {
            if (b != null) {
                insert(b);
            }
        }
    }

    /** Fibonacci hashing of the time: the high bits of the product. */
    private static int home(long time, int mask) {
        return (int) ((time * 0x9E3779B97F4A7C15L) >>> (64 - Integer.bitCount(mask)));
    }
}
