package io.sluice.runtime.operator;

import io.sluice.api.functions.Collector;
import io.sluice.api.functions.Function;
import io.sluice.api.functions.KeySelector;
import io.sluice.api.functions.KeyedBroadcastProcessFunction;
import io.sluice.api.state.MapState;
import io.sluice.api.state.MapStateDescriptor;

/**
 * Applies a {@link KeyedBroadcastProcessFunction}: input 1 is the keyed data stream (current key, keyed state, timers),
 * input 2 the broadcast stream (writable broadcast state, no current key).
 */
public final class KeyedBroadcastProcessOperator<K, IN, BC, OUT> extends AbstractKeyedOperator<K>
        implements TwoInputOperator<IN, BC>, KeyedBroadcastProcessFunction.OnTimerContext<K> {
    private final KeySelector<IN, K> keySelector;
    private final KeyedBroadcastProcessFunction<K, IN, BC, OUT> function;
    private final BroadcastSideContext broadcastSide = new BroadcastSideContext(this);

    public KeyedBroadcastProcessOperator(KeySelector<IN, K> keySelector, KeyedBroadcastProcessFunction<K, IN, BC, OUT> function) {
        this.keySelector = keySelector;
        this.function = function;
    }

    @Override
    protected Function function() {
        return function;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void processRecord1(IN record, long ts) throws Exception {
        setCurrentKey(keySelector.getKey(record), ts);
        function.processElement(record, this, (Collector<OUT>) (Collector<?>) this);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void processRecord2(BC record, long ts) throws Exception {
        timestamp = ts;
        function.processBroadcastElement(record, broadcastSide, (Collector<OUT>) (Collector<?>) this);
    }

    @Override
    @SuppressWarnings("unchecked")
    protected void onTimer(long time) throws Exception {
        function.onTimer(time, this, (Collector<OUT>) (Collector<?>) this);
    }

    @Override
    public <KB, VB> MapState<KB, VB> getBroadcastState(MapStateDescriptor<KB, VB> descriptor) {
        return super.getBroadcastState(descriptor);
    }
}
