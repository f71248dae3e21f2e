package io.sluice.runtime.task;

import io.sluice.runtime.operator.OperatorSetup;
import io.sluice.runtime.operator.StreamOperator;

/**
 * One operator of a task's chain with what it is opened with.
 *
 * @param name     the operator's name
 * @param uid      its stable id, under which its state is checkpointed
 * @param operator the operator
 * @param setup    what it is opened with
 */
public record ChainMember(String name, String uid, StreamOperator operator, OperatorSetup setup) {

    /** A member whose uid is its name (tests). */
    public ChainMember(String name, StreamOperator operator, OperatorSetup setup) {
        this(name, name, operator, setup);
    }
}
