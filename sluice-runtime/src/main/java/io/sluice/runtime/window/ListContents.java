package io.sluice.runtime.window;

import io.sluice.api.state.ListState;
import io.sluice.api.state.ListStateDescriptor;
import io.sluice.api.types.TypeSerializer;
import io.sluice.api.windowing.Window;
import io.sluice.runtime.state.KeyedStateBackend;
import java.util.List;

/** Every record of the window, in arrival order, for a process window function. */
final class ListContents<IN, W extends Window> extends WindowContents<IN, W> {
    private final ListState<IN> state;

    private ListContents(ListState<IN> state) {
        super(state);
        this.state = state;
    }

    static <IN, W extends Window> ListContents<IN, W> create(KeyedStateBackend backend, TypeSerializer<IN> inputType,
            TypeSerializer<W> windowType) {
        return new ListContents<>(backend.getNamespacedState(
                new ListStateDescriptor<>(WindowOperator.CONTENTS_STATE, inputType), windowType));
    }

    @Override
    boolean add(IN value, long timestamp) {
        state.add(value);
        return true; // a list cannot tell cheaply (RocksDB appends by merge)
    }

    @Override
    void fire(W window, WindowResults results) throws Exception {
        List<IN> records = state.get();
        if (!records.isEmpty()) {
            results.emit(records);
        }
    }
}
