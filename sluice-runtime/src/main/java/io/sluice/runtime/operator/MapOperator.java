package io.sluice.runtime.operator;

import io.sluice.api.functions.Function;
import io.sluice.api.functions.MapFunction;

/** Applies a {@link MapFunction}. */
public final class MapOperator<IN, OUT> extends AbstractOperator implements OneInputOperator<IN> {
    private final MapFunction<IN, OUT> function;

    public MapOperator(MapFunction<IN, OUT> function) {
        this.function = function;
    }

    @Override
    protected Function function() {
        return function;
    }

    @Override
    public void processRecord(IN record, long ts) throws Exception {
        output.emit(function.map(record), ts);
    }
}
