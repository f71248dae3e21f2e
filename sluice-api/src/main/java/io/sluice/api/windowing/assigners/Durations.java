package io.sluice.api.windowing.assigners;

import java.time.Duration;
import java.util.Objects;

/** Checks of the sizes given to the built-in assigners. */
final class Durations {
    private Durations() {}

    static long positiveMillis(Duration d, String what) {
        Objects.requireNonNull(d, what);
        long millis = d.toMillis();
        if (millis <= 0) {
            throw new IllegalArgumentException(what + " must be at least 1 ms, was " + d);
        }
        return millis;
    }

    static long offsetMillis(Duration offset, long size, String what) {
        Objects.requireNonNull(offset, "offset");
        long millis = offset.toMillis();
        if (Math.abs(millis) >= size) {
            throw new IllegalArgumentException("the offset of " + what + " must be smaller than its size (" + size
                    + " ms), was " + offset);
        }
        return millis;
    }

    static long requireTimestamp(long timestamp) {
        if (timestamp == Long.MIN_VALUE) {
            throw new IllegalStateException("A record has no timestamp, which event-time windows need. Fix: assign "
                    + "timestamps and watermarks (a WatermarkStrategy) before the window, or use processing-time windows");
        }
        return timestamp;
    }
}
