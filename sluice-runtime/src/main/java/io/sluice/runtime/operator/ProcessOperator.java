package io.sluice.runtime.operator;

import io.sluice.api.functions.Collector;
import io.sluice.api.functions.Function;
import io.sluice.api.functions.ProcessFunction;

/** Applies a {@link ProcessFunction}: main output, side outputs, timestamps. */
public final class ProcessOperator<IN, OUT> extends AbstractOperator implements OneInputOperator<IN> {
    private final ProcessFunction<IN, OUT> function;

    public ProcessOperator(ProcessFunction<IN, OUT> function) {
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
        function.processElement(record, this, (Collector<OUT>) (Collector<?>) this);
    }
}
