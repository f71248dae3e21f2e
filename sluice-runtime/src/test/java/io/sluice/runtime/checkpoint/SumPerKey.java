package io.sluice.runtime.checkpoint;

import io.sluice.api.functions.Collector;
import io.sluice.api.functions.KeyedProcessFunction;
import io.sluice.api.functions.RuntimeContext;
import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.Types;

/** Sums per key; emits "key=sum" once the input has ended. */
public final class SumPerKey implements KeyedProcessFunction<Long, Long, String> {
    private transient ValueState<Long> sum;

    @Override
    public void open(RuntimeContext context) {
        sum = context.getState(new ValueStateDescriptor<>("sum", Types.LONG, 0L));
    }

    @Override
    public void processElement(Long value, Context<Long> ctx, Collector<String> out) {
        if (sum.value() == 0L) {
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
        }
        sum.update(sum.value() + value);
    }

    @Override
    public void onTimer(long time, OnTimerContext<Long> ctx, Collector<String> out) {
        out.collect(ctx.currentKey() + "=" + sum.value());
    }
}
