package io.sluice.runtime.monitor;

import java.util.Map;

/**
 * One checkpoint or savepoint as operators see it.
 *
 * @param id                 its id (increasing)
 * @param status             COMPLETED or FAILED
 * @param savepoint          whether it is a savepoint
 * @param triggerEpochMillis when it was triggered
 * @param durationMillis     trigger to completion or failure
 * @param sizeBytes          bytes of state written
 * @param alignmentMillis    the longest barrier alignment of a task
 * @param ackMillis          per task ({@code chain.subtask}): milliseconds from the trigger to its acknowledgement
 * @param failure            why it failed; empty when it completed
 */
public record CheckpointRecord(long id, String status, boolean savepoint, long triggerEpochMillis, long durationMillis,
        long sizeBytes, long alignmentMillis, Map<String, Long> ackMillis, String failure) {

    public CheckpointRecord {
        ackMillis = Map.copyOf(ackMillis);
    }
}
