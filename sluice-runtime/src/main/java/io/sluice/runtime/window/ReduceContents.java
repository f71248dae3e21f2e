package io.sluice.runtime.window;

import io.sluice.api.functions.ReduceFunction;
import io.sluice.api.state.ReducingState;
import io.sluice.api.state.ReducingStateDescriptor;
import io.sluice.api.types.TypeSerializer;
import io.sluice.api.windowing.Window;
import io.sluice.runtime.state.KeyedStateBackend;
import java.util.Collections;

/** One reduced value per key and window, updated by each record. */
final class ReduceContents<IN, W extends Window> extends WindowContents<IN, W> {
    private final ReducingState<IN> state;

    private ReduceContents(ReducingState<IN> state) {
        super(state);
        this.state = state;
    }

    static <IN, W extends Window> ReduceContents<IN, W> create(KeyedStateBackend backend, ReduceFunction<IN> reducer,
            TypeSerializer<IN> inputType, TypeSerializer<W> windowType) {
        return new ReduceContents<>(backend.getNamespacedState(
                new ReducingStateDescriptor<>(WindowOperator.CONTENTS_STATE, reducer, inputType), windowType));
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
        IN reduced = state.get();
        if (reduced != null) {
            results.emit(Collections.singletonList(reduced));
        }
    }
}
