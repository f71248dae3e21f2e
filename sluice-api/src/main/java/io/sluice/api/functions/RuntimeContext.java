package io.sluice.api.functions;

import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;

/** What a function knows about where it runs, and where it gets keyed state. Task thread only. */
public interface RuntimeContext {

    /** The operator's name as given with {@code name(...)}. */
    String operatorName();

    /** This subtask's index, 0-based. */
    int subtaskIndex();

    /** The operator's parallelism. */
    int parallelism();

    /** The number of key groups of the job. */
    int maxParallelism();

    /**
     * The value state named by {@code descriptor}, scoped to the current key. Only on keyed streams:
     * elsewhere it throws {@link IllegalStateException} saying so.
     */
    <T> ValueState<T> getState(ValueStateDescriptor<T> descriptor);
}
