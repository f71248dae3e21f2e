package io.sluice.api.execution;

import java.time.Duration;
import java.util.Objects;

/**
 * How a job graph is started: what the submitter decides for this one submission, beside the job itself. Immutable.
 *
 * @param restorePath           a retained checkpoint or savepoint to resume from (its directory or metadata file), or
 *                              {@code null} for a fresh start
 * @param allowNonRestoredState whether state in it that matches no operator of the job (by uid) may be dropped;
 *                              if not, such state fails the start, naming the uid
 * @param progressInterval      how often the runtime logs the job's progress (records in and out per operator, the
 *                              sources' rate, and a line per completed checkpoint) on the loggers
 *                              {@code io.sluice.progress*}; {@link Duration#ZERO} (the default) logs none, so embedded
 *                              use stays quiet
 */
public record SubmitOptions(String restorePath, boolean allowNonRestoredState, Duration progressInterval) {

    public SubmitOptions {
        Objects.requireNonNull(progressInterval, "progressInterval");
        if (progressInterval.isNegative()) {
            throw new IllegalArgumentException("the progress interval must not be negative, was " + progressInterval);
        }
    }

    /** Without progress lines. */
    public SubmitOptions(String restorePath, boolean allowNonRestoredState) {
        this(restorePath, allowNonRestoredState, Duration.ZERO);
    }

    /** A fresh start, without progress lines. */
    public static SubmitOptions fresh() {
        return new SubmitOptions(null, false, Duration.ZERO);
    }

    /** Resuming from {@code path} (a checkpoint or savepoint), or a fresh start for {@code null}. */
    public SubmitOptions withRestorePath(String path) {
        return new SubmitOptions(path, allowNonRestoredState, progressInterval);
    }

    public SubmitOptions withAllowNonRestoredState(boolean allow) {
        return new SubmitOptions(restorePath, allow, progressInterval);
    }

    /** With progress lines every {@code interval}; {@link Duration#ZERO} for none. */
    public SubmitOptions withProgressInterval(Duration interval) {
        return new SubmitOptions(restorePath, allowNonRestoredState, interval);
    }

    /** Whether the runtime logs progress lines. */
    public boolean reportsProgress() {
        return !progressInterval.isZero();
    }
}
