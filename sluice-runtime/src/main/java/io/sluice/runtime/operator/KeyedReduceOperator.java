package io.sluice.runtime.operator;

import io.sluice.api.functions.Function;
import io.sluice.api.functions.KeySelector;
import io.sluice.api.functions.ReduceFunction;
import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.TypeSerializer;

/** A running reduce per key, kept in keyed value state; emits the new reduced value for every record. */
public final class KeyedReduceOperator<K, T> extends AbstractOperator implements OneInputOperator<T> {
    private final KeySelector<T, K> keySelector;
    private final ReduceFunction<T> function;
    private final TypeSerializer<T> type;
    private ValueState<T> reduced;

    public KeyedReduceOperator(KeySelector<T, K> keySelector, ReduceFunction<T> function, TypeSerializer<T> type) {
        this.keySelector = keySelector;
        this.function = function;
        this.type = type;
    }

    @Override
    protected Function function() {
        return function;
    }

    @Override
    public void open(OperatorSetup setup) throws Exception {
        super.open(setup);
        reduced = getState(new ValueStateDescriptor<>("reduce", type));
    }

    @Override
    public void processRecord(T record, long ts) throws Exception {
        setup.stateBackend().setCurrentKey(keySelector.getKey(record));
        T previous = reduced.value();
        T next = previous == null ? record : function.reduce(previous, record);
        reduced.update(next);
        output.emit(next, ts);
    }
}
