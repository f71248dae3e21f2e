package io.sluice.runtime.recovery;

import java.util.function.LongSupplier;

/** A clock in milliseconds that moves only when a test moves it. */
final class ManualClock implements LongSupplier {
    private long now;

    ManualClock(long start) {
        this.now = start;
    }

    @Override
    public long getAsLong() {
        return now;
    }

    ManualClock at(long millis) {
        now = millis;
        return this;
    }

    ManualClock advance(long millis) {
        now += millis;
        return this;
    }
}
