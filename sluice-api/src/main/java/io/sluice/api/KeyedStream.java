package io.sluice.api;

import io.sluice.api.functions.FilterFunction;
import io.sluice.api.functions.FlatMapFunction;
import io.sluice.api.functions.KeyedFunctionAdapters;
import io.sluice.api.functions.KeySelector;
import io.sluice.api.functions.MapFunction;
import io.sluice.api.functions.KeyedProcessFunction;
import io.sluice.api.functions.ReduceFunction;
import io.sluice.api.graph.OperatorSpec;
import io.sluice.api.types.TypeSerializer;
import io.sluice.api.windowing.GlobalWindow;
import io.sluice.api.windowing.Window;
import io.sluice.api.windowing.WindowAssigner;
import io.sluice.api.windowing.assigners.GlobalWindows;
import io.sluice.api.windowing.triggers.CountTrigger;
import io.sluice.api.windowing.triggers.PurgingTrigger;
import java.util.List;

/**
 * A stream partitioned by key. Keyed operators applied to it ({@link #process}, {@link #reduce}) see one key at a
 * time: their state and timers are scoped to the key of the current record.
 */
public final class KeyedStream<K, T> extends DataStream<T> {

    private final KeySelector<T, K> keySelector;
    private final TypeSerializer<K> keyType;

    KeyedStream(StreamEnvironment env, List<Upstream> upstreams, TypeSerializer<T> type, KeySelector<T, K> keySelector,
            TypeSerializer<K> keyType) {
        super(env, upstreams, type);
        this.keySelector = keySelector;
        this.keyType = keyType;
    }

    public TypeSerializer<K> keyType() {
        return keyType;
    }

    KeySelector<T, K> keySelector() {
        return keySelector;
    }

    /** A map whose function may use keyed state (scoped to the current record's key) in {@code open}. */
    @Override
    public <R> DataStream<R> map(MapFunction<T, R> function) {
        return keyedFunction("Map", KeyedFunctionAdapters.map(function), OutputTypes.of(function, MapFunction.class, 1, true));
    }

    @Override
    public <R> DataStream<R> map(MapFunction<T, R> function, TypeSerializer<R> outputType) {
        return keyedFunction("Map", KeyedFunctionAdapters.map(function), OutputTypes.given(outputType));
    }

    /** A flatMap whose function may use keyed state. */
    @Override
    public <R> DataStream<R> flatMap(FlatMapFunction<T, R> function) {
        return keyedFunction("FlatMap", KeyedFunctionAdapters.flatMap(function),
                OutputTypes.of(function, FlatMapFunction.class, 1, false));
    }

    @Override
    public <R> DataStream<R> flatMap(FlatMapFunction<T, R> function, TypeSerializer<R> outputType) {
        return keyedFunction("FlatMap", KeyedFunctionAdapters.flatMap(function), OutputTypes.given(outputType));
    }

    /** A filter whose function may use keyed state. */
    @Override
    public DataStream<T> filter(FilterFunction<T> function) {
        return keyedFunction("Filter", KeyedFunctionAdapters.filter(function), OutputTypes.given(requireType()));
    }

    private <R> DataStream<R> keyedFunction(String name, KeyedProcessFunction<K, T, R> adapter, OutputTypes<R> outputType) {
        return addOperator(name, new OperatorSpec.KeyedProcessSpec(keySelector, keyType, adapter), outputType);
    }

    public <R> DataStream<R> process(KeyedProcessFunction<K, T, R> function) {
        return addOperator("KeyedProcess", new OperatorSpec.KeyedProcessSpec(keySelector, keyType, function),
                OutputTypes.of(function, KeyedProcessFunction.class, 2, false));
    }

    public <R> DataStream<R> process(KeyedProcessFunction<K, T, R> function, TypeSerializer<R> outputType) {
        return addOperator("KeyedProcess", new OperatorSpec.KeyedProcessSpec(keySelector, keyType, function),
                OutputTypes.given(outputType));
    }

    /**
     * A running reduce per key: for each record, emits the reduction of all records of its key so far
     * (the first record of a key is emitted as it is).
     */
    public DataStream<T> reduce(ReduceFunction<T> function) {
        return addOperator("Reduce", new OperatorSpec.KeyedReduceSpec(keySelector, keyType, function),
                OutputTypes.given(requireType()));
    }

    /**
     * Cuts the stream into windows per key: {@code window(TumblingEventTimeWindows.of(Duration.ofSeconds(10)))}. End
     * the returned stream with a window function ({@code reduce}, {@code aggregate}, {@code process}).
     */
    public <W extends Window> WindowedStream<T, K, W> window(WindowAssigner<? super T, W> assigner) {
        return new WindowedStream<>(this, assigner);
    }

    /**
     * Windows of {@code size} records per key: fires each time a key has {@code size} new records, with exactly those
     * records (global windows, a purging count trigger). Records of a last, incomplete window are not emitted.
     */
    public WindowedStream<T, K, GlobalWindow> countWindow(long size) {
        return window(GlobalWindows.create()).trigger(PurgingTrigger.of(CountTrigger.of(size)));
    }
}
