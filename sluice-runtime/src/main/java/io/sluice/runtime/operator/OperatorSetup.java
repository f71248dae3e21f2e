package io.sluice.runtime.operator;

import io.sluice.runtime.state.KeyedStateBackend;
import io.sluice.runtime.state.operator.OperatorStateStore;
import io.sluice.runtime.timer.ProcessingTimeService;

/**
 * What an operator gets when it opens.
 *
 * @param name           the operator's name
 * @param subtaskIndex   0-based
 * @param parallelism    the operator's parallelism
 * @param maxParallelism the job's number of key groups
 * @param output         where it emits
 * @param stateBackend   its keyed state (keyed operators only, else {@code null})
 * @param operatorState  its operator state (list, union, broadcast)
 * @param processingTime the task's clock and timer scheduling
 * @param finalizer      where actions wait for the job's successful end
 */
public record OperatorSetup(String name, int subtaskIndex, int parallelism, int maxParallelism, Output output,
        KeyedStateBackend stateBackend, OperatorStateStore operatorState, ProcessingTimeService processingTime,
        JobFinalizer finalizer) {

    /** A setup whose end of input is the end of the job (tests, harnesses). */
    public OperatorSetup(String name, int subtaskIndex, int parallelism, int maxParallelism, Output output,
            KeyedStateBackend stateBackend, OperatorStateStore operatorState, ProcessingTimeService processingTime) {
        this(name, subtaskIndex, parallelism, maxParallelism, output, stateBackend, operatorState, processingTime,
                JobFinalizer.IMMEDIATE);
    }
}
