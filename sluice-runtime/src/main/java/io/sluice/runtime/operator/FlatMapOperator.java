package io.sluice.runtime.operator;

import io.sluice.api.functions.Collector;
import io.sluice.api.functions.FlatMapFunction;
import io.sluice.api.functions.Function;

/** Applies a {@link FlatMapFunction}; emitted records keep the input record's timestamp. */
public final class FlatMapOperator<IN, OUT> extends AbstractOperator implements OneInputOperator<IN> {
    private final FlatMapFunction<IN, OUT> function;

    public FlatMapOperator(FlatMapFunction<IN, OUT> function) {
        this.function = function;
    }

    @Override
    protected Function function() {
        return function;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void processRecord(IN record, long ts) throws Exception {
        timestamp = ts;
        function.flatMap(record, (Collector<OUT>) (Collector<?>) this);
    }
}
