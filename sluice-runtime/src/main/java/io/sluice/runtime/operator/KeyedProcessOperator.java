package io.sluice.runtime.operator;

import io.sluice.api.functions.Collector;
import io.sluice.api.functions.Function;
import io.sluice.api.functions.KeySelector;
import io.sluice.api.functions.KeyedProcessFunction;

/**
 * Applies a {@link KeyedProcessFunction}: sets the current key from each record, so state and timers are the key's.
 * Also runs map, flatMap and filter functions on keyed streams (through the API's adapters).
 */
public final class KeyedProcessOperator<K, IN, OUT> extends AbstractKeyedOperator<K> implements OneInputOperator<IN> {
    private final KeySelector<IN, K> keySelector;
    private final KeyedProcessFunction<K, IN, OUT> function;

    public KeyedProcessOperator(KeySelector<IN, K> keySelector, KeyedProcessFunction<K, IN, OUT> function) {
        this.keySelector = keySelector;
        this.function = function;
    }

    @Override
    protected Function function() {
        return function;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void processRecord(IN record, long ts) throws Exception {
        setCurrentKey(keySelector.getKey(record), ts);
        function.processElement(record, this, (Collector<OUT>) (Collector<?>) this);
    }

    @Override
    @SuppressWarnings("unchecked")
    protected void onTimer(long time) throws Exception {
        function.onTimer(time, this, (Collector<OUT>) (Collector<?>) this);
    }
}
