package io.sluice.runtime.checkpoint;

/**
 * What one checkpoint cost.
 *
 * @param checkpointId   the checkpoint
 * @param status         COMPLETED or ABORTED (with the reason)
 * @param durationMillis from trigger to completion (or abort)
 * @param sizeBytes      bytes of state written
 * @param tasks          tasks that acknowledged
 */
public record CheckpointStats(long checkpointId, String status, long durationMillis, long sizeBytes, int tasks) {}
