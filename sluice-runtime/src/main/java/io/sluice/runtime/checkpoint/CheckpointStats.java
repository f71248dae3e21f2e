package io.sluice.runtime.checkpoint;

import java.util.Map;

/**
 * What one checkpoint cost.
 *
 * @param checkpointId       the checkpoint
 * @param status             COMPLETED or ABORTED (with the reason)
 * @param durationMillis     from trigger to completion (or abort)
 * @param sizeBytes          bytes of state written
 * @param tasks              tasks that acknowledged
 * @param triggerEpochMillis when it was triggered (wall clock)
 * @param alignmentMillis    the longest barrier alignment of a task
 * @param savepoint          whether it was a savepoint
 * @param ackMillis          per task ({@code chain.subtask}): milliseconds from the trigger to its acknowledgement
 */
public record CheckpointStats(long checkpointId, String status, long durationMillis, long sizeBytes, int tasks,
        long triggerEpochMillis, long alignmentMillis, boolean savepoint, Map<String, Long> ackMillis) {

    public CheckpointStats {
        ackMillis = Map.copyOf(ackMillis);
    }

    /** Whether it completed. */
    public boolean completed() {
        return "COMPLETED".equals(status);
    }
}
