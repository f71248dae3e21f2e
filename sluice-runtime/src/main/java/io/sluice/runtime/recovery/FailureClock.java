package io.sluice.runtime.recovery;

import java.util.Objects;
import java.util.function.LongSupplier;

/** Reads a decider's clock and refuses one that goes back: a decision made on such times would be wrong silently. */
final class FailureClock {
    private final LongSupplier millis;
    private long last = Long.MIN_VALUE;

    FailureClock(LongSupplier millis) {
        this.millis = Objects.requireNonNull(millis, "clockMillis");
    }

    long now() {
        long now = millis.getAsLong();
        if (now < last) {
            throw new IllegalStateException("the restart clock went back from " + last + " ms to " + now
                    + " ms; use a monotonic clock");
        }
        last = now;
        return now;
    }
}
