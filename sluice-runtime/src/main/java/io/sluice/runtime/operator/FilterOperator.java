package io.sluice.runtime.operator;

import io.sluice.api.functions.FilterFunction;
import io.sluice.api.functions.Function;

/** Applies a {@link FilterFunction}. */
public final class FilterOperator<T> extends AbstractOperator implements OneInputOperator<T> {
    private final FilterFunction<T> function;

    public FilterOperator(FilterFunction<T> function) {
        this.function = function;
    }

    @Override
    protected Function function() {
        return function;
    }

    @Override
    public void processRecord(T record, long ts) throws Exception {
        if (function.filter(record)) {
            output.emit(record, ts);
        }
    }
}
