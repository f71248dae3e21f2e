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
 * @param enumerators  by uid, what each source's split enumerator restores; a source that is not here starts a fresh
 *                     enumerator
 * @param location     where the checkpoint is stored, which a worker opens to read the files keyed state names; {@code
 *                     null} for a checkpoint built in memory
 */
public record RestoreAssignment(long checkpointId, Map<String, OperatorRestore> operators,
        Map<String, EnumeratorRestore> enumerators, String location) {
    public RestoreAssignment {
        operators = Map.copyOf(operators);
        enumerators = Map.copyOf(enumerators);
    }

    /** What source {@code uid}'s enumerator restores, or empty if it starts fresh. */
    public Optional<EnumeratorRestore> enumerator(String uid) {
        return Optional.ofNullable(enumerators.get(uid));
    }

    /** What the operator {@code uid} restores, or empty if it starts without state. */
    public Optional<OperatorRestore> operator(String uid) {
        return Optional.ofNullable(operators.get(uid));
    }
}
