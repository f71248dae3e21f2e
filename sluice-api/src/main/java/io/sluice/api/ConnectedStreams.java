package io.sluice.api;

import io.sluice.api.functions.CoProcessFunction;
import io.sluice.api.types.TypeSerializer;

/** Two streams feeding one two-input function. Each input keeps its own partitioning. */
public final class ConnectedStreams<A, B> {
    private final StreamEnvironment env;
    private final DataStream<A> first;
    private final DataStream<B> second;

    ConnectedStreams(StreamEnvironment env, DataStream<A> first, DataStream<B> second) {
        if (first.env != second.env) {
            throw new IllegalArgumentException("cannot connect streams of different environments");
        }
        this.env = env;
        this.first = first;
        this.second = second;
    }

    public <R> DataStream<R> process(CoProcessFunction<A, B, R> function) {
        return first.addTwoInputOperator(first, second, "CoProcess", function,
                OutputTypes.of(function, CoProcessFunction.class, 2, false));
    }

    public <R> DataStream<R> process(CoProcessFunction<A, B, R> function, TypeSerializer<R> outputType) {
        return first.addTwoInputOperator(first, second, "CoProcess", function, OutputTypes.given(outputType));
    }

    StreamEnvironment environment() {
        return env;
    }
}
