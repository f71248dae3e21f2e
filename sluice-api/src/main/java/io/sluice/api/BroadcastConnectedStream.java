package io.sluice.api;

import io.sluice.api.functions.BroadcastProcessFunction;
import io.sluice.api.functions.KeyedBroadcastProcessFunction;
import io.sluice.api.graph.OperatorSpec;
import io.sluice.api.types.TypeSerializer;

/** A stream (keyed or not) connected with a broadcast stream. */
public final class BroadcastConnectedStream<T, B> {
    private final StreamEnvironment env;
    private final DataStream<T> data;
    private final BroadcastStream<B> broadcast;

    BroadcastConnectedStream(StreamEnvironment env, DataStream<T> data, BroadcastStream<B> broadcast) {
        if (broadcast.env != env) {
            throw new IllegalArgumentException("cannot connect streams of different environments");
        }
        this.env = env;
        this.data = data;
        this.broadcast = broadcast;
    }

    public <R> DataStream<R> process(BroadcastProcessFunction<T, B, R> function) {
        return process(function, OutputTypes.of(function, BroadcastProcessFunction.class, 2, false));
    }

    public <R> DataStream<R> process(BroadcastProcessFunction<T, B, R> function, TypeSerializer<R> outputType) {
        return process(function, OutputTypes.given(outputType));
    }

    private <R> DataStream<R> process(BroadcastProcessFunction<T, B, R> function, OutputTypes<R> outputType) {
        return DataStream.addTwoInputOperator(env, data.upstreams, broadcast.upstreams, "BroadcastProcess",
                new OperatorSpec.BroadcastProcessSpec(function), outputType);
    }

    /** For a keyed data stream ({@code keyed.connect(broadcast)}): keyed state and timers on the data side. */
    public <K, R> DataStream<R> process(KeyedBroadcastProcessFunction<K, T, B, R> function) {
        return processKeyed(function, OutputTypes.of(function, KeyedBroadcastProcessFunction.class, 3, false));
    }

    public <K, R> DataStream<R> process(KeyedBroadcastProcessFunction<K, T, B, R> function, TypeSerializer<R> outputType) {
        return processKeyed(function, OutputTypes.given(outputType));
    }

    private <K, R> DataStream<R> processKeyed(KeyedBroadcastProcessFunction<K, T, B, R> function, OutputTypes<R> outputType) {
        if (!(data instanceof KeyedStream<?, T> keyed)) {
            throw new IllegalStateException("a KeyedBroadcastProcessFunction needs a keyed data stream: keyBy(...).connect(broadcast)");
        }
        return DataStream.addTwoInputOperator(env, data.upstreams, broadcast.upstreams, "KeyedBroadcastProcess",
                new OperatorSpec.KeyedBroadcastProcessSpec(keyed.keySelector(), keyed.keyType(), function), outputType);
    }
}
