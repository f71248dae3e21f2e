package io.sluice.runtime.task;

import io.sluice.runtime.operator.OperatorCounters;
import io.sluice.runtime.operator.OperatorSetup;
import io.sluice.runtime.operator.StreamOperator;

/**
 * One operator of a task's chain with what it is opened with.
 *
 * @param name     the operator's name
 * @param uid      its stable id, under which its state is checkpointed
 * @param operator the operator
 * @param setup    what it is opened with
 * @param counters its counters, where its checkpoints record the size of its state
 */
public record ChainMember(String name, String uid, StreamOperator operator, OperatorSetup setup, OperatorCounters counters) {

    /** A member with counters of its own (read by no one). */
    public ChainMember(String name, String uid, StreamOperator operator, OperatorSetup setup) {
        this(name, uid, operator, setup, new OperatorCounters());
    }

    /** A member whose uid is its name (tests). */
    public ChainMember(String name, StreamOperator operator, OperatorSetup setup) {
        this(name, name, operator, setup);
    }
}
