package io.sluice.runtime.recovery;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.api.graph.RestartStrategy;
import io.sluice.runtime.recovery.RestartDecision.GiveUp;
import io.sluice.runtime.recovery.RestartDecision.Restart;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FailureRateDeciderTest {
    private final ManualClock clock = new ManualClock(100_000);

    private RestartDecision failAt(RestartDecider decider, long millis) {
        clock.at(millis);
        return decider.onFailure();
    }

    @Test
    void givesUpWhenMoreThanMaxFailuresFallWithinTheInterval() {
        RestartDecider decider = RestartDecider.create(RestartStrategy.failureRate(2, ofSeconds(60), ofSeconds(5)),
                clock);

        assertEquals(new Restart(1, ofSeconds(5)), failAt(decider, 0));
        assertEquals(new Restart(2, ofSeconds(5)), failAt(decider, 10_000));
        assertEquals(new GiveUp("3 failures within 60 s exceed the failure-rate limit of 2"), failAt(decider, 20_000));
    }

    @Test
    void theWindowSlides() {
        RestartDecider decider = RestartDecider.create(RestartStrategy.failureRate(2, ofSeconds(60), ofSeconds(1)),
                clock);

        assertEquals(new Restart(1, ofSeconds(1)), failAt(decider, 0));
        assertEquals(new Restart(2, ofSeconds(1)), failAt(decider, 30_000));
        // The failure at 0 is exactly 60 s old: it left the window.
        assertEquals(new Restart(3, ofSeconds(1)), failAt(decider, 60_000));
        // Failing every 30 s forever stays within the limit.
        assertEquals(new Restart(4, ofSeconds(1)), failAt(decider, 90_000));
        assertEquals(new Restart(5, ofSeconds(1)), failAt(decider, 120_000));
        // 90 s, 120 s and now 149.999 s: three within 60 s.
        assertEquals(new GiveUp("3 failures within 60 s exceed the failure-rate limit of 2"), failAt(decider, 149_999));
    }

    @Test
    void aQuietSpellEmptiesTheWindow() {
        RestartDecider decider = RestartDecider.create(RestartStrategy.failureRate(3, ofSeconds(10), Duration.ZERO),
                clock);

        for (int i = 1; i <= 3; i++) {
            assertEquals(new Restart(i, Duration.ZERO), failAt(decider, i));
        }
        for (int i = 4; i <= 6; i++) {
            assertEquals(new Restart(i, Duration.ZERO), failAt(decider, 20_000 + i));
        }
        assertEquals(new GiveUp("4 failures within 10 s exceed the failure-rate limit of 3"), failAt(decider, 29_000));
    }

    @Test
    void givingUpIsFinalAndTheMessageNamesFractionalIntervals() {
        RestartDecider decider = RestartDecider.create(RestartStrategy.failureRate(1, ofMillis(1_500), ofMillis(250)),
                clock);

        assertEquals(new Restart(1, ofMillis(250)), failAt(decider, 0));
        GiveUp giveUp = new GiveUp("2 failures within 1.5 s exceed the failure-rate limit of 1");
        assertEquals(giveUp, failAt(decider, 1_499));
        assertEquals(giveUp, failAt(decider, 1_000_000));
    }

    @Test
    void subSecondIntervalsAreNamedInMilliseconds() {
        RestartDecider decider = RestartDecider.create(RestartStrategy.failureRate(1, ofMillis(400), ofMillis(10)),
                clock);
        failAt(decider, 0);

        assertEquals(new GiveUp("2 failures within 400 ms exceed the failure-rate limit of 1"), failAt(decider, 399));
    }
}
