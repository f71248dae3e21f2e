package io.sluice.api.graph;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * What a job does when it fails: restart (all tasks are cancelled and the job resumes from its latest completed
 * checkpoint) after some delay, or give up and fail. One of four strategies, made by the factories:
 *
 * <pre>{@code
 * RestartStrategy.fixedDelay(3, Duration.ofSeconds(10));            // at most 3 restarts, 10 s apart
 * RestartStrategy.exponentialBackoff(Duration.ofSeconds(1), Duration.ofMinutes(5), 2.0, Duration.ofMinutes(10))
 *         .withJitter(0.1, jobName.hashCode());                      // 1 s, 2 s, 4 s ... 5 min, ±10 %
 * RestartStrategy.failureRate(3, Duration.ofMinutes(5), Duration.ofSeconds(10)); // give up on a 4th failure in 5 min
 * RestartStrategy.none();                                           // fail on the first failure
 * }</pre>
 *
 * <p>Immutable values, validated when made (an invalid argument is an {@link IllegalArgumentException} naming it), and
 * {@link Serializable}: part of a job's configuration. Durations count in whole milliseconds (finer parts are
 * dropped). The runtime turns a strategy into decisions; the strategy itself holds no state and may be shared by any
 * threads.
 */
public sealed interface RestartStrategy extends Serializable {

    /** Never restart: the first failure fails the job. */
    static RestartStrategy none() {
        return new None();
    }

    /**
     * Restart after each failure, waiting {@code delay} each time, at most {@code attempts} times in the job's life;
     * failure number {@code attempts + 1} fails the job.
     */
    static FixedDelay fixedDelay(int attempts, Duration delay) {
        return new FixedDelay(attempts, delay);
    }

    /**
     * Restart after every failure, waiting {@code initial} the first time and {@code multiplier} times longer each
     * further time, at most {@code max}. Once the job has run {@code resetAfterStable} without failing since its last
     * restart, the wait goes back to {@code initial}. Never gives up. Without jitter; see
     * {@link ExponentialBackoff#withJitter}.
     */
    static ExponentialBackoff exponentialBackoff(Duration initial, Duration max, double multiplier,
            Duration resetAfterStable) {
        return new ExponentialBackoff(initial, max, multiplier, resetAfterStable, 0.0, 0L);
    }

    /**
     * Restart after each failure, waiting {@code delay}, unless more than {@code maxFailures} failures (this one
     * included) happened within the last {@code interval}: then the job fails.
     */
    static FailureRate failureRate(int maxFailures, Duration interval, Duration delay) {
        return new FailureRate(maxFailures, interval, delay);
    }

    /** See {@link RestartStrategy#none()}. */
    record None() implements RestartStrategy {
        private static final long serialVersionUID = 1L;
    }

    /**
     * See {@link RestartStrategy#fixedDelay}.
     *
     * @param attempts restarts allowed over the job's life, {@code >= 0}
     * @param delay    wait before each restart, {@code >= 0}
     */
    record FixedDelay(int attempts, Duration delay) implements RestartStrategy {
        private static final long serialVersionUID = 1L;

        public FixedDelay {
            if (attempts < 0) {
                throw new IllegalArgumentException("attempts must not be negative, was " + attempts);
            }
            RestartStrategy.millis("delay", delay, false);
        }
    }

    /**
     * See {@link RestartStrategy#exponentialBackoff}.
     *
     * @param initial          the first wait, {@code > 0}
     * @param max              the longest wait, {@code >= initial}
     * @param multiplier       growth per failure, {@code >= 1}
     * @param resetAfterStable running this long without failure since the last restart resets the wait, {@code > 0}
     * @param jitter           each wait is spread uniformly within {@code ±jitter} of itself; a wait that would
     *                         pass {@code max} is mirrored below it, so waits at the cap stay spread and never
     *                         exceed {@code max}; {@code 0 <= jitter <= 1}; 0: exact waits
     * @param jitterSeed       seeds the jitter's random numbers, so a run's waits can be reproduced
     */
    record ExponentialBackoff(Duration initial, Duration max, double multiplier, Duration resetAfterStable,
            double jitter, long jitterSeed) implements RestartStrategy {
        private static final long serialVersionUID = 1L;

        public ExponentialBackoff {
            long initialMillis = RestartStrategy.millis("initial", initial, true);
            long maxMillis = RestartStrategy.millis("max", max, true);
            if (maxMillis < initialMillis) {
                throw new IllegalArgumentException("max (" + max + ") must not be below initial (" + initial + ")");
            }
            if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
                throw new IllegalArgumentException("multiplier must be a finite number >= 1, was " + multiplier);
            }
            RestartStrategy.millis("resetAfterStable", resetAfterStable, true);
            if (!(jitter >= 0.0 && jitter <= 1.0)) {
                throw new IllegalArgumentException("jitter must be within [0, 1], was " + jitter);
            }
        }

        /**
         * This strategy with each wait spread uniformly within {@code ±factor} of itself, from random numbers seeded
         * with {@code seed}. Jobs that should not restart in step (they share a database, a broker) need different
         * seeds, e.g. from their names.
         */
        public ExponentialBackoff withJitter(double factor, long seed) {
            return new ExponentialBackoff(initial, max, multiplier, resetAfterStable, factor, seed);
        }
    }

    /**
     * See {@link RestartStrategy#failureRate}.
     *
     * @param maxFailures failures tolerated within any {@code interval}, {@code >= 1}
     * @param interval    the sliding window, {@code > 0}
     * @param delay       wait before each restart, {@code >= 0}
     */
    record FailureRate(int maxFailures, Duration interval, Duration delay) implements RestartStrategy {
        private static final long serialVersionUID = 1L;

        public FailureRate {
            if (maxFailures < 1) {
                throw new IllegalArgumentException("maxFailures must be at least 1, was " + maxFailures);
            }
            RestartStrategy.millis("interval", interval, true);
            RestartStrategy.millis("delay", delay, false);
        }
    }

    /** {@code d} in whole milliseconds; it must be non-null, representable, non-negative, positive if asked. */
    private static long millis(String name, Duration d, boolean positive) {
        Objects.requireNonNull(d, name);
        long ms;
        try {
            ms = d.toMillis();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(name + " is too long, was " + d);
        }
        if (ms < 0 || (positive && ms == 0)) {
            throw new IllegalArgumentException(name + " must be " + (positive ? "at least 1 ms" : "non-negative")
                    + ", was " + d);
        }
        return ms;
    }
}
