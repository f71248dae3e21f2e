package io.sluice.api.functions;

import io.sluice.api.state.MapState;
import io.sluice.api.state.MapStateDescriptor;

/**
 * Processes a stream together with a broadcast stream. Every subtask sees every broadcast record, in the same order,
 * and may change the broadcast state only there ({@link #processBroadcastElement}); the data side reads it. So all
 * subtasks hold the same broadcast state, which is snapshotted with the job.
 *
 * <p>Both methods run on the task thread, never concurrently. No order between the two inputs is promised: a data
 * record may arrive before the broadcast record it depends on, so buffer in state if that matters.
 */
public interface BroadcastProcessFunction<IN, BC, O> extends Function {

    void processElement(IN value, ReadOnlyContext context, Collector<O> out) throws Exception;

    void processBroadcastElement(BC value, Context context, Collector<O> out) throws Exception;

    /** The data side's context: broadcast state is read-only. */
    interface ReadOnlyContext extends ElementContext {
        /** The broadcast state named by {@code descriptor}; writing it throws {@link IllegalStateException}. */
        <K, V> MapState<K, V> getBroadcastState(MapStateDescriptor<K, V> descriptor);
    }

    /** The broadcast side's context: broadcast state is writable. */
    interface Context extends ElementContext {
        <K, V> MapState<K, V> getBroadcastState(MapStateDescriptor<K, V> descriptor);
    }
}
