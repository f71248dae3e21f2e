package io.sluice.runtime.window;

import io.sluice.api.functions.AggregateFunction;
import io.sluice.api.state.AggregatingState;
import io.sluice.api.state.AggregatingStateDescriptor;
import io.sluice.api.types.TypeSerializer;
import io.sluice.api.windowing.Window;
import io.sluice.runtime.state.KeyedStateBackend;
import java.util.Collections;

/** One accumulator per key and window, updated by each record; fired as the aggregate's result. */
final class AggregateContents<IN, OUT, W extends Window> extends WindowContents<IN, W> {
    private final AggregatingState<IN, OUT> state;

    private AggregateContents(AggregatingState<IN, OUT> state) {
        super(state);
        this.state = state;
    }

    static <IN, ACC, OUT, W extends Window> AggregateContents<IN, OUT, W> create(KeyedStateBackend backend,
            AggregateFunction<IN, ACC, OUT> aggregate, TypeSerializer<ACC> accumulatorType, TypeSerializer<W> windowType) {
        return new AggregateContents<>(backend.getNamespacedState(
                new AggregatingStateDescriptor<>(WindowOperator.CONTENTS_STATE, aggregate, accumulatorType), windowType));
    }

    @Override
    boolean add(IN value, long timestamp) throws Exception {
        if (state instanceof io.sluice.runtime.state.InternalAppendingState s) {
            return s.addAndTellIfNew(value);
        }
        state.add(value);
        return true;
    }

    @Override
    void fire(W window, WindowResults results) throws Exception {
        OUT result = state.get(); // null: nothing was added (a null result is not emitted either)
        if (result != null) {
            results.emit(Collections.singletonList(result));
        }
    }
}
