package io.sluice.runtime.recovery;

import io.sluice.api.graph.RestartStrategy;

/**
 * {@link RestartStrategy#fixedDelay}: failures 1 to {@code attempts} restart after the delay; the next one gives up.
 * The count never resets (a job that fails once a day runs out of attempts too: that is what the strategy promises).
 */
final class FixedDelayDecider implements RestartDecider {
    private final RestartStrategy.FixedDelay strategy;
    private int restarts;
    private RestartDecision.GiveUp gaveUp;

    FixedDelayDecider(RestartStrategy.FixedDelay strategy) {
        this.strategy = strategy;
    }

    @Override
    public RestartDecision onFailure() {
        if (gaveUp != null) {
            return gaveUp;
        }
        if (restarts < strategy.attempts()) {
            restarts++;
            return new RestartDecision.Restart(restarts, strategy.delay());
        }
        long failures = restarts + 1L;
        String verb = failures == 1 ? " exceeds" : " exceed";
        gaveUp = new RestartDecision.GiveUp(DurationText.count(failures, "failure") + verb
                + " the fixed-delay limit of " + DurationText.count(strategy.attempts(), "restart"));
        return gaveUp;
    }
}
