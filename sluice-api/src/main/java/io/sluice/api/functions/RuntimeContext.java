package io.sluice.api.functions;

import io.sluice.api.state.ListState;
import io.sluice.api.state.ListStateDescriptor;
import io.sluice.api.state.MapState;
import io.sluice.api.state.MapStateDescriptor;
import io.sluice.api.state.State;
import io.sluice.api.state.StateDescriptor;

/**
 * What a function knows about where it runs, and where it gets its state. Call it in {@code open} and keep the
 * handles; use them on the task thread only.
 */
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
     * The keyed state named by {@code descriptor}, scoped to the current key: {@code ValueState}, {@code ListState},
     * {@code MapState}, {@code ReducingState} or {@code AggregatingState}, by the descriptor's kind. Only on keyed
     * streams: elsewhere it throws {@link IllegalStateException} saying so.
     */
    <S extends State> S getState(StateDescriptor<S> descriptor);

    /**
     * Operator list state: a list per subtask, snapshotted with it. When the job is restored at another parallelism
     * the elements of all subtasks are dealt round-robin to the new subtasks.
     */
    <T> ListState<T> getOperatorListState(ListStateDescriptor<T> descriptor);

    /** Union list state: like operator list state, but on restore every subtask gets all elements of all subtasks. */
    <T> ListState<T> getUnionListState(ListStateDescriptor<T> descriptor);

    /**
     * Broadcast state: a map per subtask, the same in every subtask because only the broadcast side of a broadcast
     * process function writes it (from the same broadcast records in the same order). Elsewhere it is read-only.
     */
    <K, V> MapState<K, V> getBroadcastState(MapStateDescriptor<K, V> descriptor);
}
