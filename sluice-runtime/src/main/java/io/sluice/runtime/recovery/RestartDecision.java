package io.sluice.runtime.recovery;

import java.time.Duration;
import java.util.Objects;

/** What a {@link RestartDecider} says about one failure: restart after a delay, or give up. Immutable values. */
public sealed interface RestartDecision {

    /**
     * Restart the job after {@code delay}.
     *
     * @param attempt which restart this is in the decider's life, from 1
     * @param delay   how long to wait before restarting, {@code >= 0}
     */
    record Restart(int attempt, Duration delay) implements RestartDecision {
        public Restart {
            if (attempt < 1) {
                throw new IllegalArgumentException("attempt counts from 1, was " + attempt);
            }
            if (delay.isNegative()) {
                throw new IllegalArgumentException("delay must not be negative, was " + delay);
            }
        }
    }

    /**
     * Do not restart: the job fails.
     *
     * @param reason why, in words for the job's failure message, e.g. "3 failures within 60 s exceed the failure-rate
     *               limit of 2"
     */
    record GiveUp(String reason) implements RestartDecision {
        public GiveUp {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
