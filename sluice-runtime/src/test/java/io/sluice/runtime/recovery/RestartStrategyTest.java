package io.sluice.runtime.recovery;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sluice.api.graph.RestartStrategy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The API's strategies: validation when made, and surviving serialization as part of a job's configuration. */
class RestartStrategyTest {

    @Test
    void strategiesSurviveSerialization() throws Exception {
        List<RestartStrategy> strategies = List.of(RestartStrategy.none(),
                RestartStrategy.fixedDelay(3, ofSeconds(10)),
                RestartStrategy.exponentialBackoff(ofSeconds(1), ofMinutes(5), 1.5, ofMinutes(10)).withJitter(0.1, 7),
                RestartStrategy.failureRate(2, ofMinutes(1), ofMillis(500)));

        for (RestartStrategy strategy : strategies) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(strategy);
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                assertEquals(strategy, in.readObject());
            }
        }
    }

    @Test
    void invalidArgumentsAreRejectedNamingTheArgument() {
        assertInvalid("attempts must not be negative, was -1", () -> RestartStrategy.fixedDelay(-1, ofSeconds(1)));
        assertInvalid("delay must be non-negative, was PT-1S", () -> RestartStrategy.fixedDelay(1, ofSeconds(-1)));
        assertInvalid("initial must be at least 1 ms, was PT0S",
                () -> RestartStrategy.exponentialBackoff(Duration.ZERO, ofSeconds(1), 2, ofSeconds(1)));
        assertInvalid("initial must be at least 1 ms, was PT0.0005S",
                () -> RestartStrategy.exponentialBackoff(Duration.ofNanos(500_000), ofSeconds(1), 2, ofSeconds(1)));
        assertInvalid("max (PT1S) must not be below initial (PT2S)",
                () -> RestartStrategy.exponentialBackoff(ofSeconds(2), ofSeconds(1), 2, ofSeconds(1)));
        assertInvalid("multiplier must be a finite number >= 1, was 0.5",
                () -> RestartStrategy.exponentialBackoff(ofSeconds(1), ofSeconds(2), 0.5, ofSeconds(1)));
        assertInvalid("multiplier must be a finite number >= 1, was NaN",
                () -> RestartStrategy.exponentialBackoff(ofSeconds(1), ofSeconds(2), Double.NaN, ofSeconds(1)));
        assertInvalid("resetAfterStable must be at least 1 ms, was PT0S",
                () -> RestartStrategy.exponentialBackoff(ofSeconds(1), ofSeconds(2), 2, Duration.ZERO));
        assertInvalid("jitter must be within [0, 1], was 1.5",
                () -> RestartStrategy.exponentialBackoff(ofSeconds(1), ofSeconds(2), 2, ofSeconds(1))
                        .withJitter(1.5, 1));
        assertInvalid("maxFailures must be at least 1, was 0",
                () -> RestartStrategy.failureRate(0, ofSeconds(1), ofSeconds(1)));
        assertInvalid("interval must be at least 1 ms, was PT0S",
                () -> RestartStrategy.failureRate(1, Duration.ZERO, ofSeconds(1)));
        Duration tooLong = Duration.ofSeconds(Long.MAX_VALUE / 100);
        assertInvalid("max is too long, was " + tooLong,
                () -> RestartStrategy.exponentialBackoff(ofSeconds(1), tooLong, 2, ofSeconds(1)));
    }

    private static void assertInvalid(String message, Executable make) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, make).getMessage());
    }
}
