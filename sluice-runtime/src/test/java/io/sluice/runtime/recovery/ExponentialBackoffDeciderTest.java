package io.sluice.runtime.recovery;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.graph.RestartStrategy;
import io.sluice.runtime.recovery.RestartDecision.Restart;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExponentialBackoffDeciderTest {
    private final ManualClock clock = new ManualClock(0);

    /** Fails, then lets the job run {@code runMillis} after the restart the decision asked for. */
    private Restart failThenRun(RestartDecider decider, long runMillis) {
        Restart restart = (Restart) decider.onFailure();
        clock.advance(restart.delay().toMillis() + runMillis);
        return restart;
    }

    @Test
    void waitsGrowByTheMultiplierUpToTheMax() {
        RestartDecider decider = RestartDecider.create(
                RestartStrategy.exponentialBackoff(ofSeconds(1), ofSeconds(10), 2.0, ofMinutes(1)), clock);

        List<Restart> decisions = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            decisions.add(failThenRun(decider, 1_000));
        }

        assertEquals(List.of(new Restart(1, ofSeconds(1)), new Restart(2, ofSeconds(2)), new Restart(3, ofSeconds(4)),
                new Restart(4, ofSeconds(8)), new Restart(5, ofSeconds(10)), new Restart(6, ofSeconds(10)),
                new Restart(7, ofSeconds(10))), decisions);
    }

    @Test
    void eachWaitIsRoundedToAMillisecond() {
        RestartDecider decider = RestartDecider.create(
                RestartStrategy.exponentialBackoff(ofMillis(100), ofMillis(1_000), 1.5, ofMinutes(1)), clock);

        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            waits.add(failThenRun(decider, 0).delay().toMillis());
        }

        // 337.5 rounds to 338, 338 × 1.5 = 507, 760.5 rounds to 761, then the max.
        assertEquals(List.of(100L, 150L, 225L, 338L, 507L, 761L, 1_000L, 1_000L), waits);
    }

    @Test
    void runningStablyForResetAfterStableSinceTheRestartResetsTheWait() {
        RestartDecider decider = RestartDecider.create(
                RestartStrategy.exponentialBackoff(ofSeconds(1), ofMinutes(1), 2.0, ofSeconds(30)), clock);

        // Each run lasts 1 ms less than resetAfterStable: the wait keeps growing.
        assertEquals(new Restart(1, ofSeconds(1)), failThenRun(decider, 29_999));
        assertEquals(new Restart(2, ofSeconds(2)), failThenRun(decider, 29_999));
        // This run lasts exactly resetAfterStable: the next failure waits the initial time again.
        assertEquals(new Restart(3, ofSeconds(4)), failThenRun(decider, 30_000));
        assertEquals(new Restart(4, ofSeconds(1)), failThenRun(decider, 0));
        assertEquals(new Restart(5, ofSeconds(2)), failThenRun(decider, 0));
        assertEquals(new Restart(6, ofSeconds(4)), failThenRun(decider, 0));
    }

    @Test
    void timeSpentWaitingToRestartIsNotStableTime() {
        RestartDecider decider = RestartDecider.create(
                RestartStrategy.exponentialBackoff(ofSeconds(10), ofSeconds(100), 2.0, ofSeconds(15)), clock);

        assertEquals(new Restart(1, ofSeconds(10)), decider.onFailure());
        clock.at(20_000); // 20 s after the failure, but only 10 s after the restart
        assertEquals(new Restart(2, ofSeconds(20)), decider.onFailure());
        clock.at(20_000 + 20_000 + 15_000); // 15 s after the second restart
        assertEquals(new Restart(3, ofSeconds(10)), decider.onFailure());
    }

    @Test
    void neverGivesUp() {
        RestartDecider decider = RestartDecider.create(
                RestartStrategy.exponentialBackoff(ofMillis(1), ofSeconds(5), 3.0, ofMinutes(1)), clock);

        for (int i = 1; i <= 10_000; i++) {
            Restart restart = failThenRun(decider, 0);
            assertEquals(i, restart.attempt());
            assertTrue(restart.delay().compareTo(ofSeconds(5)) <= 0, restart::toString);
        }
        assertEquals(new Restart(10_001, ofSeconds(5)), decider.onFailure());
    }

    @Test
    void jitterSpreadsEachWaitWithinItsBoundsAndReproducesWithTheSeed() {
        long seed = Long.getLong("sluice.test.seed", 20261124L);
        System.out.println("ExponentialBackoffDeciderTest jitter seed " + seed + " (-Dsluice.test.seed=" + seed + ")");
        RestartStrategy.ExponentialBackoff strategy = RestartStrategy.exponentialBackoff(ofSeconds(1), ofSeconds(60),
                2.0, ofMinutes(10)).withJitter(0.25, seed);

        List<Duration> first = waits(strategy, 40);
        List<Duration> again = waits(strategy, 40);
        List<Duration> otherSeed = waits(strategy.withJitter(0.25, seed + 1), 40);

        assertEquals(first, again, "seed " + seed);
        assertNotEquals(first, otherSeed, "seed " + seed);
        long base = 1_000;
        for (Duration wait : first) {
            long ms = wait.toMillis();
            assertTrue(ms >= Math.round(base * 0.75) && ms <= Math.min(60_000, Math.round(base * 1.25)),
                    "wait " + ms + " ms for base " + base + " ms, seed " + seed);
            base = Math.min(60_000, base * 2);
        }
        // At the cap, waits mirror below max instead of piling onto it: (nearly) all 30 differ, few equal max.
        assertTrue(new HashSet<>(first.subList(10, 40)).size() >= 28, () -> "jitter should spread the waits at the max: " + first);
        assertTrue(first.subList(10, 40).stream().filter(w -> w.toMillis() == 60_000).count() <= 2, first::toString);
        assertTrue(first.subList(10, 40).stream().allMatch(w -> w.toMillis() >= 45_000), first::toString);
    }

    private static List<Duration> waits(RestartStrategy strategy, int failures) {
        ManualClock clock = new ManualClock(0);
        RestartDecider decider = RestartDecider.create(strategy, clock);
        List<Duration> waits = new ArrayList<>();
        for (int i = 0; i < failures; i++) {
            Duration delay = ((Restart) decider.onFailure()).delay();
            waits.add(delay);
            clock.advance(delay.toMillis() + 1);
        }
        return waits;
    }

    @Test
    void aClockThatGoesBackIsRejected() {
        RestartDecider decider = RestartDecider.create(
                RestartStrategy.exponentialBackoff(ofSeconds(1), ofSeconds(10), 2.0, ofMinutes(1)), clock.at(5_000));
        decider.onFailure();
        clock.at(4_999);

        IllegalStateException e = assertThrows(IllegalStateException.class, decider::onFailure);
        assertEquals("the restart clock went back from 5000 ms to 4999 ms; use a monotonic clock", e.getMessage());
    }
}
