package io.sluice.api.execution;

/**
 * How a job graph is started.
 *
 * @param restorePath           a retained checkpoint or savepoint to resume from (its directory or metadata file), or
 *                              {@code null} for a fresh start
 * @param allowNonRestoredState whether state in it that matches no operator of the job (by uid) may be dropped;
 *                              if not, such state fails the start, naming the uid
 */
public record SubmitOptions(String restorePath, boolean allowNonRestoredState) {

    /** A fresh start. */
    public static SubmitOptions fresh() {
        return new SubmitOptions(null, false);
    }
}
