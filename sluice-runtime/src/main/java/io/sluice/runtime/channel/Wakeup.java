package io.sluice.runtime.channel;

import java.util.concurrent.locks.LockSupport;

/**
 * How producers wake a consumer task that waits for input. The consumer announces that it is about to sleep,
 * re-checks its inputs, and parks; a producer that has just made input available unparks it if it announced.
 * Both sides use volatile accesses, so either the consumer sees the new input or the producer sees the
 * announcement: no wake-up is lost. Sleeps are bounded anyway, as a safety net.
 */
public final class Wakeup {
    private volatile Thread sleeper;

    /** Producer side: called after making input available. */
    public void wake() {
        Thread t = sleeper;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Consumer side: announce, then the caller re-checks its inputs before {@link #sleep}. */
    public void prepareToSleep() {
        sleeper = Thread.currentThread();
    }

    /** Consumer side: parks for at most {@code nanos} unless woken, then clears the announcement. */
    public void sleep(long nanos) {
        LockSupport.parkNanos(this, nanos);
        sleeper = null;
    }

    /** Consumer side: input turned up during the re-check; no sleep. */
    public void cancelSleep() {
        sleeper = null;
    }
}
