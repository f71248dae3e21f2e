package io.sluice.runtime.operator;

import io.sluice.api.functions.BroadcastProcessFunction;
import io.sluice.api.functions.Collector;
import io.sluice.api.functions.Function;
import io.sluice.api.state.MapState;
import io.sluice.api.state.MapStateDescriptor;

/** Applies a {@link BroadcastProcessFunction}: input 1 is the data stream, input 2 the broadcast stream. */
public final class BroadcastProcessOperator<IN, BC, OUT> extends AbstractOperator
        implements TwoInputOperator<IN, BC>, BroadcastProcessFunction.ReadOnlyContext {
    private final BroadcastProcessFunction<IN, BC, OUT> function;
    private final BroadcastSideContext broadcastSide = new BroadcastSideContext(this);

    public BroadcastProcessOperator(BroadcastProcessFunction<IN, BC, OUT> function) {
        this.function = function;
    }

    @Override
    protected Function function() {
        return function;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void processRecord1(IN record, long ts) throws Exception {
        timestamp = ts;
        function.processElement(record, this, (Collector<OUT>) (Collector<?>) this);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void processRecord2(BC record, long ts) throws Exception {
        timestamp = ts;
        function.processBroadcastElement(record, broadcastSide, (Collector<OUT>) (Collector<?>) this);
    }

    // getBroadcastState(MapStateDescriptor) of RuntimeContext (read-only) also serves ReadOnlyContext.
    @Override
    public <K, V> MapState<K, V> getBroadcastState(MapStateDescriptor<K, V> descriptor) {
        return super.getBroadcastState(descriptor);
    }
}
