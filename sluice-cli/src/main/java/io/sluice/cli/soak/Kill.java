package io.sluice.cli.soak;

/**
 * One planned process kill of a round: the child JVM running the job is killed with SIGKILL ({@code destroyForcibly})
 * and a new one resumes from the latest completed checkpoint ({@code --from-checkpoint latest}; afresh if there is
 * none).
 *
 * @param afterCheckpoint {@code false}: {@code delayMillis} after the child started; {@code true}: {@code delayMillis}
 *                        after a checkpoint newer than the one it resumed from completed (0: at once, i.e. most likely
 *                        between the checkpoint's completion and the sink's commit at its notification)
 */
public record Kill(boolean afterCheckpoint, long delayMillis) {
    @Override
    public String toString() {
        return afterCheckpoint ? "kill " + delayMillis + " ms after a new checkpoint" : "kill at " + delayMillis + " ms";
    }
}
