package io.sluice.runtime.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.api.graph.RestartStrategy;
import io.sluice.runtime.recovery.RestartDecision.GiveUp;
import org.junit.jupiter.api.Test;

class NoRestartDeciderTest {

    @Test
    void givesUpOnTheFirstFailureAndEveryLaterOne() {
        RestartDecider decider = RestartDecider.create(RestartStrategy.none(), new ManualClock(0));

        GiveUp expected = new GiveUp("restarts are disabled (restart strategy: none)");
        assertEquals(expected, decider.onFailure());
        assertEquals(expected, decider.onFailure());
    }
}
