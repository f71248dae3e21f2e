package io.sluice.runtime.recovery;

import io.sluice.api.graph.RestartStrategy;
import java.util.ArrayDeque;

/**
 * {@link RestartStrategy#failureRate}: counts the failures in a sliding window of {@code interval} ending now (a
 * failure exactly {@code interval} ago no longer counts); with this one, more than {@code maxFailures} gives up,
 * otherwise the job restarts after {@code delay}.
 */
final class FailureRateDecider implements RestartDecider {
    private final RestartStrategy.FailureRate strategy;
    private final long intervalMillis;
    private final FailureClock clock;
    /** Times of the earlier failures still inside the window, oldest first; never more than {@code maxFailures}. */
    private final ArrayDeque<Long> recent = new ArrayDeque<>();
    private int restarts;
    private RestartDecision.GiveUp gaveUp;

    FailureRateDecider(RestartStrategy.FailureRate strategy, FailureClock clock) {
        this.strategy = strategy;
        this.intervalMillis = strategy.interval().toMillis();
        this.clock = clock;
    }

    @Override
    public RestartDecision onFailure() {
        if (gaveUp != null) {
            return gaveUp;
        }
        long now = clock.now();
        while (!recent.isEmpty() && now - recent.peekFirst() >= intervalMillis) {
            recent.pollFirst();
        }
        int inWindow = recent.size() + 1;
        if (inWindow > strategy.maxFailures()) {
            gaveUp = new RestartDecision.GiveUp(DurationText.count(inWindow, "failure") + " within "
                    + DurationText.of(intervalMillis) + " exceed the failure-rate limit of " + strategy.maxFailures());
            return gaveUp;
        }
        recent.addLast(now);
        restarts = restarts == Integer.MAX_VALUE ? restarts : restarts + 1;
        return new RestartDecision.Restart(restarts, strategy.delay());
    }
}
