package io.sluice.runtime.recovery;

import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.api.graph.RestartStrategy;
import io.sluice.runtime.recovery.RestartDecision.GiveUp;
import io.sluice.runtime.recovery.RestartDecision.Restart;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FixedDelayDeciderTest {
    private final ManualClock clock = new ManualClock(1_000);

    @Test
    void restartsAttemptsTimesWithTheDelayThenGivesUp() {
        RestartDecider decider = RestartDecider.create(RestartStrategy.fixedDelay(3, ofSeconds(10)), clock);

        assertEquals(new Restart(1, ofSeconds(10)), decider.onFailure());
        assertEquals(new Restart(2, ofSeconds(10)), decider.onFailure());
        assertEquals(new Restart(3, ofSeconds(10)), decider.onFailure());
        assertEquals(new GiveUp("4 failures exceed the fixed-delay limit of 3 restarts"), decider.onFailure());
    }

    @Test
    void theCountNeverResetsHoweverFarApartTheFailures() {
        RestartDecider decider = RestartDecider.create(RestartStrategy.fixedDelay(2, Duration.ZERO), clock);

        assertEquals(new Restart(1, Duration.ZERO), decider.onFailure());
        clock.advance(Duration.ofDays(30).toMillis());
        assertEquals(new Restart(2, Duration.ZERO), decider.onFailure());
        clock.advance(Duration.ofDays(365).toMillis());
        assertEquals(new GiveUp("3 failures exceed the fixed-delay limit of 2 restarts"), decider.onFailure());
    }

    @Test
    void givingUpIsFinal() {
        RestartDecider decider = RestartDecider.create(RestartStrategy.fixedDelay(1, ofSeconds(1)), clock);
        decider.onFailure();
        GiveUp first = (GiveUp) decider.onFailure();

        assertEquals(new GiveUp("2 failures exceed the fixed-delay limit of 1 restart"), first);
        assertEquals(first, decider.onFailure());
        assertEquals(first, decider.onFailure());
    }

    @Test
    void zeroAttemptsGivesUpOnTheFirstFailure() {
        RestartDecider decider = RestartDecider.create(RestartStrategy.fixedDelay(0, ofSeconds(1)), clock);

        assertEquals(new GiveUp("1 failure exceeds the fixed-delay limit of 0 restarts"), decider.onFailure());
    }
}
