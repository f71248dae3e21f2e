package io.sluice.runtime.operator;

import io.sluice.api.functions.CoProcessFunction;
import io.sluice.api.functions.Collector;
import io.sluice.api.functions.Function;

/** Applies a {@link CoProcessFunction} to two inputs. */
public final class CoProcessOperator<A, B, OUT> extends AbstractOperator implements TwoInputOperator<A, B> {
    private final CoProcessFunction<A, B, OUT> function;

    public CoProcessOperator(CoProcessFunction<A, B, OUT> function) {
        this.function = function;
    }

    @Override
    protected Function function() {
        return function;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void processRecord1(A record, long ts) throws Exception {
        timestamp = ts;
        function.processElement1(record, this, (Collector<OUT>) (Collector<?>) this);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void processRecord2(B record, long ts) throws Exception {
        timestamp = ts;
        function.processElement2(record, this, (Collector<OUT>) (Collector<?>) this);
    }
}
