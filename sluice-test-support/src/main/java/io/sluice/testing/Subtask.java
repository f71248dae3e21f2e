package io.sluice.testing;

/**
 * Which parallel instance a harness plays: subtask {@code index} of {@code parallelism}, in a job with
 * {@code maxParallelism} key groups. A keyed harness owns the key groups the runtime would give that subtask, so a
 * key of another subtask is rejected, just as the runtime would never route it there. Immutable.
 *
 * @param index          0-based, below {@code parallelism}
 * @param parallelism    the operator's parallelism, at most {@code maxParallelism}
 * @param maxParallelism the job's number of key groups (the runtime's default is {@value #DEFAULT_MAX_PARALLELISM})
 */
public record Subtask(int index, int parallelism, int maxParallelism) {
    /** The runtime's default number of key groups. */
    public static final int DEFAULT_MAX_PARALLELISM = 128;

    public Subtask {
        if (parallelism < 1 || maxParallelism < parallelism || index < 0 || index >= parallelism) {
            throw new IllegalArgumentException("bad subtask " + index + " of parallelism " + parallelism
                    + " with maxParallelism " + maxParallelism + ": need 0 <= index < parallelism <= maxParallelism");
        }
    }

    /** The only subtask of parallelism 1 with the default key groups: what a plain harness runs as. */
    public static Subtask single() {
        return new Subtask(0, 1, DEFAULT_MAX_PARALLELISM);
    }

    @Override
    public String toString() {
        return "subtask " + index + "/" + parallelism + " (maxParallelism " + maxParallelism + ")";
    }
}
