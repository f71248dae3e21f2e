package io.sluice.runtime.checkpoint.restore;

import java.util.Map;
import java.util.Optional;

/**
 * Which state each subtask of a new job restores from one completed checkpoint, computed once per run by
 * {@link RestoreAssigner}.
 *
 * @param checkpointId the checkpoint restored from
 * @param operators    by uid, the operators the checkpoint holds state of; an operator of the job that is not here
 *                     starts without state (a source creates its splits afresh)
 */
public record RestoreAssignment(long checkpointId, Map<String, OperatorRestore> operators) {
    public RestoreAssignment {
        operators = Map.copyOf(operators);
    }

    /** What the operator {@code uid} restores, or empty if it starts without state. */
    public Optional<OperatorRestore> operator(String uid) {
        return Optional.ofNullable(operators.get(uid));
    }
}
