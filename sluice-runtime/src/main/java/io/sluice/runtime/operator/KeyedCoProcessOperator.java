package io.sluice.runtime.operator;

import io.sluice.api.functions.Collector;
import io.sluice.api.functions.Function;
import io.sluice.api.functions.KeySelector;
import io.sluice.api.functions.KeyedCoProcessFunction;

/** Applies a {@link KeyedCoProcessFunction}: each input's records set the current key with that input's selector. */
public final class KeyedCoProcessOperator<K, A, B, OUT> extends AbstractKeyedOperator<K> implements TwoInputOperator<A, B> {
    private final KeySelector<A, K> keySelector1;
    private final KeySelector<B, K> keySelector2;
    private final KeyedCoProcessFunction<K, A, B, OUT> function;

    public KeyedCoProcessOperator(KeySelector<A, K> keySelector1, KeySelector<B, K> keySelector2,
            KeyedCoProcessFunction<K, A, B, OUT> function) {
        this.keySelector1 = keySelector1;
        this.keySelector2 = keySelector2;
        this.function = function;
    }

    @Override
    protected Function function() {
        return function;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void processRecord1(A record, long ts) throws Exception {
        setCurrentKey(keySelector1.getKey(record), ts);
        function.processElement1(record, this, (Collector<OUT>) (Collector<?>) this);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void processRecord2(B record, long ts) throws Exception {
        setCurrentKey(keySelector2.getKey(record), ts);
        function.processElement2(record, this, (Collector<OUT>) (Collector<?>) this);
    }

    @Override
    @SuppressWarnings("unchecked")
    protected void onTimer(long time) throws Exception {
        function.onTimer(time, this, (Collector<OUT>) (Collector<?>) this);
    }
}
