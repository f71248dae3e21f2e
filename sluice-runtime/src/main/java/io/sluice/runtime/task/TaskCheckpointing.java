package io.sluice.runtime.task;

import io.sluice.runtime.checkpoint.CheckpointResponder;
import io.sluice.runtime.checkpoint.TaskKey;
import java.util.concurrent.Executor;

/**
 * How a task takes part in checkpoints, fixed when it is built.
 *
 * @param key         the task's key in checkpoints (chain, subtask, attempt)
 * @param sourceUid   the uid of the task's source, or {@code null} if it reads channels
 * @param exactlyOnce whether channel input aligns barriers (exactly-once) or not (at-least-once)
 * @param responder   where acknowledgements and declines go
 * @param io          runs the asynchronous part of the task's snapshots
 */
public record TaskCheckpointing(TaskKey key, String sourceUid, boolean exactlyOnce, CheckpointResponder responder,
        Executor io) {}
