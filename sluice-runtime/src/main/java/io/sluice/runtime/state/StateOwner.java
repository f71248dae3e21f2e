package io.sluice.runtime.state;

import java.util.Objects;

/**
 * Whose keyed state a backend holds: an operator's subtask. Named in the errors a backend raises when restored state
 * cannot be used (a serializer that changed, a kind that differs), so that the message says where to look.
 *
 * @param operatorName the operator's name
 * @param operatorUid  its uid, under which its state is snapshotted
 * @param subtask      the subtask, from 0
 * @param parallelism  the operator's parallelism
 */
public record StateOwner(String operatorName, String operatorUid, int subtask, int parallelism) {

    /** For backends made outside a job (tests, benchmarks): its messages then name no operator. */
    public static final StateOwner UNNAMED = new StateOwner("(unnamed)", "(none)", 0, 1);

    public StateOwner {
        Objects.requireNonNull(operatorName, "operatorName");
        Objects.requireNonNull(operatorUid, "operatorUid");
        if (subtask < 0 || subtask >= parallelism) {
            throw new IllegalArgumentException("subtask " + subtask + " of parallelism " + parallelism);
        }
    }

    /** {@code operator 'Count' (uid count), subtask 2/4}: subtasks counted from 1, as in task names. */
    @Override
    public String toString() {
        return "operator '" + operatorName + "' (uid " + operatorUid + "), subtask " + (subtask + 1) + "/" + parallelism;
    }
}
