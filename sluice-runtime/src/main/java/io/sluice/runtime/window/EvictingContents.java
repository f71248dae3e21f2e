package io.sluice.runtime.window;

import io.sluice.api.functions.AggregateFunction;
import io.sluice.api.functions.ReduceFunction;
import io.sluice.api.state.ListState;
import io.sluice.api.state.ListStateDescriptor;
import io.sluice.api.types.TypeSerializer;
import io.sluice.api.windowing.Evictor;
import io.sluice.api.windowing.TimestampedValue;
import io.sluice.api.windowing.Window;
import io.sluice.runtime.state.KeyedStateBackend;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The records of a window with their timestamps, for windows with an evictor: on each firing the evictor sees them
 * before and after the function; what it leaves is written back. Reduce and aggregate functions are applied to the
 * records left after {@link Evictor#evictBefore} (a window whose records were all evicted emits nothing with reduce,
 * the result of an empty accumulator with aggregate, and calls a process function with no records).
 */
final class EvictingContents<IN, W extends Window> extends WindowContents<IN, W> {

    /** Computes a firing's result from the records left after eviction. */
    @FunctionalInterface
    interface Evaluation<IN> {
        void evaluate(List<IN> values, WindowResults results) throws Exception;

        static <IN> Evaluation<IN> reduce(ReduceFunction<IN> reducer) {
            return (values, results) -> {
                IN reduced = null;
                for (IN v : values) {
                    reduced = reduced == null ? v : reducer.reduce(reduced, v);
                }
                if (reduced != null) {
                    results.emit(Collections.singletonList(reduced));
                }
            };
        }

        static <IN, ACC, OUT> Evaluation<IN> aggregate(AggregateFunction<IN, ACC, OUT> aggregate) {
            return (values, results) -> {
                ACC acc = aggregate.createAccumulator();
                for (IN v : values) {
                    acc = aggregate.add(v, acc);
                }
                results.emit(Collections.singletonList(aggregate.getResult(acc)));
            };
        }

        static <IN> Evaluation<IN> process() {
            return (values, results) -> results.emit(values);
        }
    }

    private final ListState<TimestampedValue<IN>> state;
    private final Evictor<IN, W> evictor;
    private final Evictor.EvictorContext context;
    private final Evaluation<IN> evaluation;

    private EvictingContents(ListState<TimestampedValue<IN>> state, Evictor<IN, W> evictor, Evictor.EvictorContext context,
            Evaluation<IN> evaluation) {
        super(state);
        this.state = state;
        this.evictor = evictor;
        this.context = context;
        this.evaluation = evaluation;
    }

    static <IN, W extends Window> EvictingContents<IN, W> create(KeyedStateBackend backend, TypeSerializer<IN> inputType,
            TypeSerializer<W> windowType, Evictor<IN, W> evictor, Evictor.EvictorContext context, Evaluation<IN> evaluation) {
        ListState<TimestampedValue<IN>> state = backend.getNamespacedState(new ListStateDescriptor<>(
                WindowOperator.CONTENTS_STATE, new TimestampedValueSerializer<>(inputType)), windowType);
        return new EvictingContents<>(state, evictor, context, evaluation);
    }

    @Override
    boolean add(IN value, long timestamp) {
        state.add(new TimestampedValue<>(value, timestamp));
        return true; // a list cannot tell cheaply (RocksDB appends by merge)
    }

    @Override
    void fire(W window, WindowResults results) throws Exception {
        List<TimestampedValue<IN>> elements = state.get(); // a copy: the evictor may remove from it
        if (elements.isEmpty()) {
            return;
        }
        evictor.evictBefore(elements, elements.size(), window, context);
        List<IN> values = new ArrayList<>(elements.size());
        for (TimestampedValue<IN> e : elements) {
            values.add(e.value());
        }
        evaluation.evaluate(values, results);
        evictor.evictAfter(elements, elements.size(), window, context);
        state.update(elements);
    }
}
