package io.sluice.api;

import io.sluice.api.functions.CoProcessFunction;
import io.sluice.api.functions.KeySelector;
import io.sluice.api.functions.KeyedCoProcessFunction;
import io.sluice.api.graph.OperatorSpec;
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
        return process(function, OutputTypes.of(function, CoProcessFunction.class, 2, false));
    }

    public <R> DataStream<R> process(CoProcessFunction<A, B, R> function, TypeSerializer<R> outputType) {
        return process(function, OutputTypes.given(outputType));
    }

    private <R> DataStream<R> process(CoProcessFunction<A, B, R> function, OutputTypes<R> outputType) {
        return DataStream.addTwoInputOperator(env, first.upstreams, second.upstreams, "CoProcess",
                new OperatorSpec.CoProcessSpec(function), outputType);
    }

    /** Keys both inputs (keys of equal type), for a {@link KeyedCoProcessFunction}. */
    public <K> ConnectedStreams<A, B> keyBy(KeySelector<A, K> keySelector1, KeySelector<B, K> keySelector2) {
        return new ConnectedStreams<>(env, first.keyBy(keySelector1), second.keyBy(keySelector2));
    }

    /**
     * A two-input keyed function: both inputs must be keyed ({@code keyedA.connect(keyedB)} or {@link #keyBy}), with
     * keys of equal type; state and timers are scoped to the current record's key.
     */
    public <K, R> DataStream<R> process(KeyedCoProcessFunction<K, A, B, R> function) {
        return processKeyed(function, OutputTypes.of(function, KeyedCoProcessFunction.class, 3, false));
    }

    public <K, R> DataStream<R> process(KeyedCoProcessFunction<K, A, B, R> function, TypeSerializer<R> outputType) {
        return processKeyed(function, OutputTypes.given(outputType));
    }

    private <K, R> DataStream<R> processKeyed(KeyedCoProcessFunction<K, A, B, R> function, OutputTypes<R> outputType) {
        if (!(first instanceof KeyedStream<?, A> k1) || !(second instanceof KeyedStream<?, B> k2)) {
            throw new IllegalStateException("a KeyedCoProcessFunction needs two keyed streams: connect two keyBy() results or call keyBy(selector1, selector2)");
        }
        if (!k1.keyType().equals(k2.keyType())) {
            throw new IllegalArgumentException("connected keyed streams must have the same key type, not "
                    + k1.keyType().typeName() + " and " + k2.keyType().typeName());
        }
        return DataStream.addTwoInputOperator(env, first.upstreams, second.upstreams, "KeyedCoProcess",
                new OperatorSpec.KeyedCoProcessSpec(k1.keySelector(), k2.keySelector(), k1.keyType(), function), outputType);
    }

    StreamEnvironment environment() {
        return env;
    }
}
