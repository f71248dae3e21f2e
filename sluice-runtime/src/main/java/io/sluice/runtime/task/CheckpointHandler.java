package io.sluice.runtime.task;

import io.sluice.runtime.state.SnapshotKind;

/** What a task does when its input has aligned a checkpoint's barriers, or learned that a checkpoint was aborted. */
interface CheckpointHandler {

    /** Snapshot every chained operator now, before any further input, and forward the barrier (of {@code kind}). */
    void onCheckpointAligned(long checkpointId, SnapshotKind kind) throws Exception;

    /** The input started waiting for a checkpoint's barriers on its other channels. */
    default void onAlignmentStarted() {}

    /** This task will not take {@code checkpointId}: decline it and forward the cancellation. */
    void onCheckpointAborted(long checkpointId, String reason) throws Exception;
}
