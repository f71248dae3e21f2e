package io.sluice.api.eventtime;

/**
 * Periodic watermarks for records that arrive at most a fixed bound out of order: the watermark is the largest
 * timestamp seen minus the bound minus 1 (so a record exactly {@code bound} behind the largest one is still on time).
 * With a bound of 0 the timestamps must be ascending (records with the largest timestamp seen may repeat).
 *
 * <p>Emits only in {@link #onPeriodicEmit}, and nothing before the first record with a timestamp. One instance per
 * input, called on the task thread.
 */
public final class BoundedOutOfOrdernessWatermarks<T> implements WatermarkGenerator<T> {
    private final long boundMillis;
    private long maxTimestamp = Long.MIN_VALUE;

    /** @param boundMillis how far out of order records may be, in milliseconds; not negative */
    public BoundedOutOfOrdernessWatermarks(long boundMillis) {
        if (boundMillis < 0) {
            throw new IllegalArgumentException("the out-of-orderness bound must not be negative, was " + boundMillis);
        }
        this.boundMillis = boundMillis;
    }

    @Override
    public void onEvent(T event, long timestamp, WatermarkOutput output) {
        if (timestamp > maxTimestamp) {
            maxTimestamp = timestamp;
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        long watermark = currentWatermark();
        if (watermark != Long.MIN_VALUE) {
            output.emitWatermark(watermark);
        }
    }

    /** The largest timestamp seen minus the bound minus 1, or {@link Long#MIN_VALUE} while that would underflow. */
    public long currentWatermark() {
        long watermark = maxTimestamp - boundMillis - 1;
        return watermark < maxTimestamp ? watermark : Long.MIN_VALUE; // not below: it wrapped around
    }
}
