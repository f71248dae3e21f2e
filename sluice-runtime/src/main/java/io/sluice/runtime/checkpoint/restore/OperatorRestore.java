package io.sluice.runtime.checkpoint.restore;

import java.util.List;
import java.util.Objects;

/**
 * What each new subtask of one operator restores from a checkpoint that holds state of it.
 *
 * @param uid            the operator's uid
 * @param oldParallelism the operator's parallelism when the checkpoint was taken
 * @param subtasks       one entry per new subtask, by subtask index
 */
public record OperatorRestore(String uid, int oldParallelism, List<SubtaskRestore> subtasks) {
    public OperatorRestore {
        Objects.requireNonNull(uid, "uid");
        subtasks = List.copyOf(subtasks);
    }

    /** What new subtask {@code subtask} restores. */
    public SubtaskRestore subtask(int subtask) {
        return subtasks.get(subtask);
    }
}
