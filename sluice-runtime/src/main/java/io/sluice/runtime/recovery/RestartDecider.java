package io.sluice.runtime.recovery;

import io.sluice.api.graph.RestartStrategy;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Applies a {@link RestartStrategy} to a job's failures: told of each failure, it decides whether and after what delay
 * the job restarts, or that it gives up (with a reason). One decider per job, kept across its restarts, so it sees the
 * job's whole history of failures.
 *
 * <p>The time of a failure is read from the clock given at creation, in milliseconds, when {@link #onFailure()} is
 * called; the clock must never go back ({@link #monotonicClock()} in production, a manual clock in tests). Once a
 * decider has given up, it stays given up: further calls return the same {@link RestartDecision.GiveUp}.
 *
 * <p>Not thread-safe: called by the one thread that supervises the job's run (failures of several tasks of one run
 * are one failure: report it once).
 */
public sealed interface RestartDecider
        permits NoRestartDecider, FixedDelayDecider, ExponentialBackoffDecider, FailureRateDecider {

    /** A decider for {@code strategy}, reading failure times (milliseconds) from {@code clockMillis}. */
    static RestartDecider create(RestartStrategy strategy, LongSupplier clockMillis) {
        Objects.requireNonNull(strategy, "strategy");
        FailureClock clock = new FailureClock(clockMillis);
        return switch (strategy) {
            case RestartStrategy.None none -> new NoRestartDecider();
            case RestartStrategy.FixedDelay fixed -> new FixedDelayDecider(fixed);
            case RestartStrategy.ExponentialBackoff backoff -> new ExponentialBackoffDecider(backoff, clock);
            case RestartStrategy.FailureRate rate -> new FailureRateDecider(rate, clock);
        };
    }

    /** Milliseconds from {@link System#nanoTime()}: never goes back, unlike the wall clock. */
    static LongSupplier monotonicClock() {
        return () -> Math.floorDiv(System.nanoTime(), 1_000_000L);
    }

    /** The job failed (now, by the clock): restart it, and after how long, or give up. */
    RestartDecision onFailure();
}
