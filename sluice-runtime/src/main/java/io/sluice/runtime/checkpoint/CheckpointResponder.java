package io.sluice.runtime.checkpoint;

import io.sluice.runtime.checkpoint.storage.CheckpointWriter;
import io.sluice.runtime.checkpoint.storage.StateFileHandle;
import java.util.List;
import java.util.Optional;

/** How a task reports its part of a checkpoint to the coordinator. Thread-safe: called from task and I/O threads. */
public interface CheckpointResponder {

    /** Where the task writes its state files for {@code checkpointId}; empty if the checkpoint was aborted. */
    Optional<CheckpointWriter> writer(long checkpointId);

    /**
     * The task's state for {@code checkpointId} is durable in {@code files}; {@code alignmentMillis} is how long its
     * input was blocked aligning the barriers (0 for sources and at-least-once).
     */
    void acknowledge(TaskKey task, long checkpointId, List<StateFileHandle> files, long alignmentMillis);

    /** The task could not take {@code checkpointId}. */
    void decline(TaskKey task, long checkpointId, String reason);
}
