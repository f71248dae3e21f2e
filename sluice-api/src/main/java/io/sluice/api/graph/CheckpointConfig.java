package io.sluice.api.graph;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * How a job takes checkpoints. Immutable; build it with {@link #every(Duration)} and the {@code with*} methods, and
 * pass it to {@code StreamEnvironment.enableCheckpointing}.
 *
 * @param interval            time between the starts of two checkpoints
 * @param timeout             a checkpoint not complete after this long is aborted
 * @param minPause            least time between the end of one checkpoint and the start of the next
 * @param maxConcurrent       checkpoints in flight at once (1: the default)
 * @param mode                exactly-once (aligned barriers) or at-least-once (no alignment)
 * @param directory           where checkpoints are stored ({@code null}: a temporary directory of the job)
 * @param retained            completed checkpoints kept (the newest)
 * @param retainOnCancel      whether the retained checkpoints survive a cancel (else they are deleted)
 */
public record CheckpointConfig(Duration interval, Duration timeout, Duration minPause, int maxConcurrent, Mode mode,
        String directory, int retained, boolean retainOnCancel) implements Serializable {

    /** Whether barriers are aligned. */
    public enum Mode {
        /** A task with several inputs waits for a checkpoint's barrier on all of them: state is exactly-once. */
        EXACTLY_ONCE,
        /** Barriers are not aligned: after a failure some records may be counted twice, none lost. */
        AT_LEAST_ONCE
    }

    public CheckpointConfig {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(minPause, "minPause");
        Objects.requireNonNull(mode, "mode");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("checkpoint interval must be positive, was " + interval);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("checkpoint timeout must be positive, was " + timeout);
        }
        if (minPause.isNegative()) {
            throw new IllegalArgumentException("min pause between checkpoints must not be negative");
        }
        if (maxConcurrent < 1 || retained < 1) {
            throw new IllegalArgumentException("maxConcurrent and retained must be at least 1");
        }
    }

    /** Exactly-once checkpoints every {@code interval}; timeout 10 min, no min pause, 1 in flight, 3 retained. */
    public static CheckpointConfig every(Duration interval) {
        return new CheckpointConfig(interval, Duration.ofMinutes(10), Duration.ZERO, 1, Mode.EXACTLY_ONCE, null, 3, false);
    }

    public CheckpointConfig withTimeout(Duration value) {
        return new CheckpointConfig(interval, value, minPause, maxConcurrent, mode, directory, retained, retainOnCancel);
    }

    public CheckpointConfig withMinPause(Duration value) {
        return new CheckpointConfig(interval, timeout, value, maxConcurrent, mode, directory, retained, retainOnCancel);
    }

    public CheckpointConfig withMaxConcurrent(int value) {
        return new CheckpointConfig(interval, timeout, minPause, value, mode, directory, retained, retainOnCancel);
    }

    public CheckpointConfig withMode(Mode value) {
        return new CheckpointConfig(interval, timeout, minPause, maxConcurrent, value, directory, retained, retainOnCancel);
    }

    public CheckpointConfig withDirectory(String value) {
        return new CheckpointConfig(interval, timeout, minPause, maxConcurrent, mode, value, retained, retainOnCancel);
    }

    public CheckpointConfig withRetained(int value) {
        return new CheckpointConfig(interval, timeout, minPause, maxConcurrent, mode, directory, value, retainOnCancel);
    }

    public CheckpointConfig withRetainOnCancel(boolean value) {
        return new CheckpointConfig(interval, timeout, minPause, maxConcurrent, mode, directory, retained, value);
    }
}
