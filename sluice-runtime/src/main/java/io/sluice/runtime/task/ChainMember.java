package io.sluice.runtime.task;

import io.sluice.runtime.operator.OperatorSetup;
import io.sluice.runtime.operator.StreamOperator;

/** One operator of a task's chain with what it is opened with. */
public record ChainMember(String name, StreamOperator operator, OperatorSetup setup) {}
