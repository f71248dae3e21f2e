package io.sluice.api;

import io.sluice.api.functions.AggregateFunction;
import io.sluice.api.functions.OutputTag;
import io.sluice.api.functions.ReduceFunction;
import io.sluice.api.graph.OperatorSpec;
import io.sluice.api.graph.WindowFunctionSpec;
import io.sluice.api.types.TypeSerializer;
import io.sluice.api.types.UnsupportedTypeException;
import io.sluice.api.windowing.Evictor;
import io.sluice.api.windowing.MergingWindowAssigner;
import io.sluice.api.windowing.ProcessWindowFunction;
import io.sluice.api.windowing.Trigger;
import io.sluice.api.windowing.Window;
import io.sluice.api.windowing.WindowAssigner;
import java.time.Duration;
import java.util.Objects;

/**
 * A keyed stream cut into windows by a {@link WindowAssigner}: configure it ({@link #trigger}, {@link #evictor},
 * {@link #allowedLateness}, {@link #sideOutputLateData}), then end it with a window function ({@link #reduce},
 * {@link #aggregate}, {@link #process}), which adds the window operator and returns its output.
 *
 * <p>Semantics (as in Flink): an event-time window fires when the watermark passes its {@code maxTimestamp()} (with
 * the default trigger). Its state is kept until {@code maxTimestamp() + allowedLateness}; a record arriving for it
 * in that time updates it and fires it again at once. A record whose windows are all past that time is late: it goes
 * to the {@link #sideOutputLateData} output, or is dropped. Reduce and aggregate keep one value per key and window;
 * process and evictors keep the records.
 *
 * <p>Not thread-safe: define a job from one thread.
 *
 * @param <T> the records
 * @param <K> the key
 * @param <W> the windows
 */
public final class WindowedStream<T, K, W extends Window> {
    private final KeyedStream<K, T> input;
    private final WindowAssigner<? super T, W> assigner;
    private Trigger<? super T, ? super W> trigger;
    private Evictor<? super T, ? super W> evictor;
    private long allowedLatenessMillis;
    private OutputTag<T> lateDataTag;

    WindowedStream(KeyedStream<K, T> input, WindowAssigner<? super T, W> assigner) {
        this.input = input;
        this.assigner = Objects.requireNonNull(assigner, "assigner");
        this.trigger = assigner.defaultTrigger();
    }

    /** Replaces the assigner's default trigger. */
    public WindowedStream<T, K, W> trigger(Trigger<? super T, ? super W> trigger) {
        this.trigger = Objects.requireNonNull(trigger, "trigger");
        return this;
    }

    /** Evicts elements when windows fire; windows then keep all their records. */
    public WindowedStream<T, K, W> evictor(Evictor<? super T, ? super W> evictor) {
        this.evictor = Objects.requireNonNull(evictor, "evictor");
        return this;
    }

    /**
     * How long after a window's end (in event time) its state is kept, so late records still update it and fire it
     * again. Default zero. Ignored by processing-time windows.
     */
    public WindowedStream<T, K, W> allowedLateness(Duration lateness) {
        long millis = Objects.requireNonNull(lateness, "lateness").toMillis();
        if (millis < 0) {
            throw new IllegalArgumentException("the allowed lateness must not be negative, was " + lateness);
        }
        this.allowedLatenessMillis = millis;
        return this;
    }

    /**
     * Sends records that arrive too late for all their windows to the side output {@code tag} (read it with
     * {@code getSideOutput(tag)} on the window's output) instead of dropping them.
     */
    public WindowedStream<T, K, W> sideOutputLateData(OutputTag<T> tag) {
        this.lateDataTag = Objects.requireNonNull(tag, "tag");
        return this;
    }

    // ---- reduce ----

    /** Reduces each window's records to one value, incrementally; emits it when the window fires. */
    public DataStream<T> reduce(ReduceFunction<T> function) {
        return add("WindowReduce", new WindowFunctionSpec.Reduce(function, null), OutputTypes.given(input.requireType()));
    }

    /** Reduces incrementally, then calls {@code windowFunction} with the single reduced value when the window fires. */
    public <R> DataStream<R> reduce(ReduceFunction<T> function, ProcessWindowFunction<T, R, K, W> windowFunction) {
        return add("WindowReduce", new WindowFunctionSpec.Reduce(function, Objects.requireNonNull(windowFunction)),
                OutputTypes.of(windowFunction, ProcessWindowFunction.class, 1, false));
    }

    public <R> DataStream<R> reduce(ReduceFunction<T> function, ProcessWindowFunction<T, R, K, W> windowFunction,
            TypeSerializer<R> outputType) {
        return add("WindowReduce", new WindowFunctionSpec.Reduce(function, Objects.requireNonNull(windowFunction)),
                OutputTypes.given(outputType));
    }

    // ---- aggregate ----

    /**
     * Aggregates each window incrementally (one accumulator per key and window) and emits the result when it fires.
     * The accumulator and result types come from the function's class; for other functions use
     * {@link #aggregate(AggregateFunction, TypeSerializer, TypeSerializer)}.
     */
    public <A, R> DataStream<R> aggregate(AggregateFunction<T, A, R> function) {
        return add("WindowAggregate", new WindowFunctionSpec.Aggregate(function, accumulatorType(function), null),
                OutputTypes.of(function, AggregateFunction.class, 2, false));
    }

    public <A, R> DataStream<R> aggregate(AggregateFunction<T, A, R> function, TypeSerializer<A> accumulatorType,
            TypeSerializer<R> resultType) {
        return add("WindowAggregate", new WindowFunctionSpec.Aggregate(function, accumulatorType, null),
                OutputTypes.given(resultType));
    }

    /** Aggregates incrementally, then calls {@code windowFunction} with the single result when the window fires. */
    public <A, V, R> DataStream<R> aggregate(AggregateFunction<T, A, V> function,
            ProcessWindowFunction<V, R, K, W> windowFunction) {
        return add("WindowAggregate", new WindowFunctionSpec.Aggregate(function, accumulatorType(function),
                Objects.requireNonNull(windowFunction)), OutputTypes.of(windowFunction, ProcessWindowFunction.class, 1, false));
    }

    /** The same, with the output type given (for a lambda window function); the accumulator type is inferred. */
    public <A, V, R> DataStream<R> aggregate(AggregateFunction<T, A, V> function,
            ProcessWindowFunction<V, R, K, W> windowFunction, TypeSerializer<R> outputType) {
        return add("WindowAggregate", new WindowFunctionSpec.Aggregate(function, accumulatorType(function),
                Objects.requireNonNull(windowFunction)), OutputTypes.given(outputType));
    }

    public <A, V, R> DataStream<R> aggregate(AggregateFunction<T, A, V> function,
            ProcessWindowFunction<V, R, K, W> windowFunction, TypeSerializer<A> accumulatorType, TypeSerializer<R> outputType) {
        return add("WindowAggregate", new WindowFunctionSpec.Aggregate(function, accumulatorType,
                Objects.requireNonNull(windowFunction)), OutputTypes.given(outputType));
    }

    // ---- process ----

    /** Keeps each window's records and calls {@code function} with all of them when the window fires. */
    public <R> DataStream<R> process(ProcessWindowFunction<T, R, K, W> function) {
        return add("WindowProcess", new WindowFunctionSpec.Process(function),
                OutputTypes.of(function, ProcessWindowFunction.class, 1, false));
    }

    public <R> DataStream<R> process(ProcessWindowFunction<T, R, K, W> function, TypeSerializer<R> outputType) {
        return add("WindowProcess", new WindowFunctionSpec.Process(function), OutputTypes.given(outputType));
    }

    // ---- internals ----

    private static <A> TypeSerializer<A> accumulatorType(AggregateFunction<?, A, ?> function) {
        OutputTypes<A> acc = OutputTypes.of(Objects.requireNonNull(function, "function"), AggregateFunction.class, 1, false);
        if (acc.serializer() == null) {
            throw new UnsupportedTypeException("The accumulator type of the window aggregate cannot be determined: "
                    + acc.problem() + ". Fix: aggregate(function, accumulatorType, resultType), e.g. "
                    + "aggregate(fn, Types.LONG, Types.DOUBLE)");
        }
        return acc.serializer();
    }

    private <R> DataStream<R> add(String name, WindowFunctionSpec function, OutputTypes<R> outputType) {
        if (assigner instanceof MergingWindowAssigner<?, ?> && !trigger.canMerge()) {
            throw new IllegalArgumentException("The trigger " + trigger + " does not support merging windows, which "
                    + assigner + " needs (Trigger.canMerge())");
        }
        OperatorSpec spec = new OperatorSpec.WindowSpec(input.keySelector(), input.keyType(), input.requireType(), assigner,
                trigger, evictor, allowedLatenessMillis, lateDataTag, function);
        return input.addOperator(name, spec, outputType);
    }
}
