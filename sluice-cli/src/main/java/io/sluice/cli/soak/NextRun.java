package io.sluice.cli.soak;

/**
 * How a round goes on after a child JVM was killed (or before its first one), from what the round's directory holds.
 * The rule behind it: the sink commits only at a completed checkpoint's notice, at a restore, and at the job's
 * successful end, and a job deletes its checkpoints only once it finished; so committed output with no completed
 * checkpoint means the job finished.
 */
enum NextRun {
    /** Start the job afresh: nothing to resume from. */
    FRESH,
    /** Resume with {@code --from-checkpoint latest}. */
    RESUME,
    /**
     * The job finished before the kill landed (final output committed, checkpoints deleted, the process not yet
     * exited): nothing to run; a fresh start would write the whole output again.
     */
    FINISHED;

    static NextRun after(boolean firstRun, boolean completedCheckpoint, boolean committedOutput) {
        if (completedCheckpoint) {
            return RESUME;
        }
        return !firstRun && committedOutput ? FINISHED : FRESH;
    }
}
