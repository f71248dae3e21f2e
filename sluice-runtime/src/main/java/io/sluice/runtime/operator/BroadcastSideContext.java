package io.sluice.runtime.operator;

import io.sluice.api.functions.OutputTag;
import io.sluice.api.functions.BroadcastProcessFunction;
import io.sluice.api.state.MapState;
import io.sluice.api.state.MapStateDescriptor;

/** The broadcast side's context of a broadcast operator: the only place where broadcast state is writable. */
final class BroadcastSideContext implements BroadcastProcessFunction.Context {
    private final AbstractOperator operator;

    BroadcastSideContext(AbstractOperator operator) {
        this.operator = operator;
    }

    @Override
    public <K, V> MapState<K, V> getBroadcastState(MapStateDescriptor<K, V> descriptor) {
        return operator.setup.operatorState().broadcastState(descriptor);
    }

    @Override
    public long timestamp() {
        return operator.timestamp();
    }

    @Override
    public <X> void output(OutputTag<X> tag, X value) {
        operator.output(tag, value);
    }

    @Override
    public long currentWatermark() {
        return operator.currentWatermark();
    }
}
