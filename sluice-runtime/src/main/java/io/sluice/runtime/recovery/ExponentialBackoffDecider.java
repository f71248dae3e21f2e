package io.sluice.runtime.recovery;

import io.sluice.api.graph.RestartStrategy;
import java.time.Duration;
import java.util.Random;

/**
 * {@link RestartStrategy#exponentialBackoff}: waits {@code initial}, then {@code multiplier} times the previous base
 * wait (rounded to a millisecond), capped at {@code max}; never gives up.
 *
 * <p>Reset: a failure that comes at least {@code resetAfterStable} after the previous restart was due (the previous
 * failure's time plus its wait) finds the job stable and waits {@code initial} again. Measured from the restart, not
 * from the previous failure as Flink does: with a long wait, time spent waiting is not time running stably.
 *
 * <p>Jitter: the wait is {@code base × (1 + jitter × u)}, {@code u} uniform in [-1, 1) from a {@link Random} seeded
 * with the strategy's seed and rounded; the next base grows from the base, not the jittered wait. A wait above
 * {@code max} is mirrored below it ({@code 2 × max − wait}) rather than clamped: clamping would put half of all waits
 * at the cap on exactly {@code max}, so jobs that fail together would restart together again — the herd jitter is
 * there to break up.
 */
final class ExponentialBackoffDecider implements RestartDecider {
    private final long initialMillis;
    private final long maxMillis;
    private final double multiplier;
    private final long resetAfterMillis;
    private final double jitter;
    private final Random random;
    private final FailureClock clock;
    private long baseMillis;
    private long restartDueAt;
    private int attempts;

    ExponentialBackoffDecider(RestartStrategy.ExponentialBackoff strategy, FailureClock clock) {
        this.initialMillis = strategy.initial().toMillis();
        this.maxMillis = strategy.max().toMillis();
        this.multiplier = strategy.multiplier();
        this.resetAfterMillis = strategy.resetAfterStable().toMillis();
        this.jitter = strategy.jitter();
        this.random = jitter > 0 ? new Random(strategy.jitterSeed()) : null;
        this.clock = clock;
        this.baseMillis = initialMillis;
    }

    @Override
    public RestartDecision onFailure() {
        long now = clock.now();
        if (attempts > 0 && now - restartDueAt >= resetAfterMillis) {
            baseMillis = initialMillis;
        }
        long wait = baseMillis;
        if (random != null) {
            double spread = baseMillis * jitter * (2 * random.nextDouble() - 1);
            long jittered = Math.round(baseMillis + spread);
            wait = Math.max(0L, jittered > maxMillis ? 2 * maxMillis - jittered : jittered);
        }
        double next = baseMillis * multiplier;
        baseMillis = next >= maxMillis ? maxMillis : Math.round(next);
        restartDueAt = now + wait;
        attempts = attempts == Integer.MAX_VALUE ? attempts : attempts + 1;
        return new RestartDecision.Restart(attempts, Duration.ofMillis(wait));
    }
}
