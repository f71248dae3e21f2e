package io.sluice.api;

import io.sluice.api.eventtime.WatermarkStrategy;
import io.sluice.api.functions.FilterFunction;
import io.sluice.api.functions.FlatMapFunction;
import io.sluice.api.functions.KeySelector;
import io.sluice.api.functions.MapFunction;
import io.sluice.api.functions.OutputTag;
import io.sluice.api.functions.ProcessFunction;
import io.sluice.api.graph.OperatorSpec;
import io.sluice.api.graph.Partitioning;
import io.sluice.api.sink.PrintSink;
import io.sluice.api.sink.Sink;
import io.sluice.api.types.TypeSerializer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A stream of records of type {@code T}: the output of an operator, a side output, a union, or a re-partitioned
 * view of one of those. Every method adds to the job definition; nothing runs until
 * {@link StreamEnvironment#execute}.
 *
 * <p>Output types are found from the function's declared types where Java keeps them (classes, method
 * references, lambdas returning a non-generic type). Where Java erased them (a lambda emitting to a
 * {@code Collector}, or returning a {@code List}), pass the type: {@code flatMap(fn, Types.STRING)} or
 * {@code .returns(...)}; otherwise building the job fails and says so.
 */
public class DataStream<T> {

    final StreamEnvironment env;
    final List<Upstream> upstreams;
    final TypeSerializer<T> type;

    DataStream(StreamEnvironment env, List<Upstream> upstreams, TypeSerializer<T> type) {
        this.env = env;
        this.upstreams = List.copyOf(upstreams);
        this.type = type;
    }

    /** The serializer of this stream's records, or {@code null} while still unknown. */
    public TypeSerializer<T> type() {
        return type;
    }

    // ---- transformations ----

    public <R> DataStream<R> map(MapFunction<T, R> function) {
        return addOperator("Map", new OperatorSpec.MapSpec(function), OutputTypes.of(function, MapFunction.class, 1, true));
    }

    public <R> DataStream<R> map(MapFunction<T, R> function, TypeSerializer<R> outputType) {
        return addOperator("Map", new OperatorSpec.MapSpec(function), OutputTypes.given(outputType));
    }

    public <R> DataStream<R> flatMap(FlatMapFunction<T, R> function) {
        return addOperator("FlatMap", new OperatorSpec.FlatMapSpec(function), OutputTypes.of(function, FlatMapFunction.class, 1, false));
    }

    public <R> DataStream<R> flatMap(FlatMapFunction<T, R> function, TypeSerializer<R> outputType) {
        return addOperator("FlatMap", new OperatorSpec.FlatMapSpec(function), OutputTypes.given(outputType));
    }

    public DataStream<T> filter(FilterFunction<T> function) {
        return addOperator("Filter", new OperatorSpec.FilterSpec(function), OutputTypes.given(requireType()));
    }

    public <R> DataStream<R> process(ProcessFunction<T, R> function) {
        return addOperator("Process", new OperatorSpec.ProcessSpec(function), OutputTypes.of(function, ProcessFunction.class, 1, false));
    }

    public <R> DataStream<R> process(ProcessFunction<T, R> function, TypeSerializer<R> outputType) {
        return addOperator("Process", new OperatorSpec.ProcessSpec(function), OutputTypes.given(outputType));
    }

    /**
     * Gives the records new timestamps and generates watermarks from them with {@code strategy}; an operator chained
     * like a map. Watermarks arriving from upstream are dropped (except the final one at the end of a bounded input),
     * and so is upstream idleness: from here on, time is what {@code strategy} says. Each subtask has one generator;
     * with {@link WatermarkStrategy#withIdleness} a subtask whose input is silent for that long is marked idle.
     */
    public DataStream<T> assignTimestampsAndWatermarks(WatermarkStrategy<T> strategy) {
        Objects.requireNonNull(strategy, "strategy");
        return addOperator("Timestamps/Watermarks", new OperatorSpec.TimestampsSpec(strategy), OutputTypes.given(requireType()));
    }

    /** Partitions by key: all records with equal keys go to the same subtask, in order per producer. */
    public <K> KeyedStream<K, T> keyBy(KeySelector<T, K> keySelector) {
        OutputTypes<K> keyType = OutputTypes.of(keySelector, KeySelector.class, 1, true);
        if (keyType.serializer() == null) {
            throw new io.sluice.api.types.UnsupportedTypeException("The key type of keyBy cannot be determined: "
                    + keyType.problem() + ". Fix: keyBy(selector, Types.STRING) with the key's type");
        }
        return keyBy(keySelector, keyType.serializer());
    }

    public <K> KeyedStream<K, T> keyBy(KeySelector<T, K> keySelector, TypeSerializer<K> keyType) {
        Objects.requireNonNull(keySelector, "keySelector");
        return new KeyedStream<>(env, repartition(new Partitioning.Hash(keySelector)), requireType(), keySelector, keyType);
    }

    /** One stream of this stream's and the others' records; each keeps its own partitioning. */
    @SafeVarargs
    public final DataStream<T> union(DataStream<T>... others) {
        List<Upstream> all = new ArrayList<>(upstreams);
        for (DataStream<T> other : others) {
            if (other.env != env) {
                throw new IllegalArgumentException("cannot union streams of different environments");
            }
            all.addAll(other.upstreams);
        }
        return new DataStream<>(env, all, type);
    }

    /** Pairs this stream with another for a two-input function. */
    public <U> ConnectedStreams<T, U> connect(DataStream<U> other) {
        return new ConnectedStreams<>(env, this, other);
    }

    /**
     * Pairs this stream with a broadcast stream: every subtask sees every broadcast record; a
     * {@link io.sluice.api.functions.BroadcastProcessFunction} keeps what it learns in broadcast state.
     */
    public <B> BroadcastConnectedStream<T, B> connect(BroadcastStream<B> broadcast) {
        return new BroadcastConnectedStream<>(env, this, broadcast);
    }

    /**
     * This stream sent to every subtask of the operator it is connected to, for use with {@link #connect(BroadcastStream)}.
     * The descriptors name the broadcast states the receiving function uses (documentation and a check).
     */
    public BroadcastStream<T> broadcast(io.sluice.api.state.MapStateDescriptor<?, ?>... stateDescriptors) {
        return new BroadcastStream<>(env, repartition(new Partitioning.Broadcast()), List.of(stateDescriptors));
    }

    /** The records the operator of this stream emitted to the side output {@code tag}. */
    public <X> DataStream<X> getSideOutput(OutputTag<X> tag) {
        Upstream main = singleOperator("getSideOutput");
        return new DataStream<>(env, List.of(new Upstream(main.nodeId(), tag, new Partitioning.Auto())), tag.type());
    }

    // ---- partitioning ----

    /** Subtask i to subtask i; the default between operators of equal parallelism. */
    public DataStream<T> forward() {
        return new DataStream<>(env, repartition(new Partitioning.Forward()), type);
    }

    /** Round-robin over the next operator's subtasks. */
    public DataStream<T> rebalance() {
        return new DataStream<>(env, repartition(new Partitioning.Rebalance()), type);
    }

    /** A pseudo-random subtask per record. */
    public DataStream<T> shuffle() {
        return new DataStream<>(env, repartition(new Partitioning.Shuffle()), type);
    }

    /** Every record to every subtask of the next operator. */
    public DataStream<T> broadcast() {
        return new DataStream<>(env, repartition(new Partitioning.Broadcast()), type);
    }

    // ---- operator settings ----

    /** Names the operator that produces this stream (logs, metrics, thread names). */
    public DataStream<T> name(String name) {
        draft("name").name = Objects.requireNonNull(name, "name");
        return this;
    }

    /** Gives the operator a stable id, used to match its state when a job is restored. */
    public DataStream<T> uid(String uid) {
        draft("uid").uid = Objects.requireNonNull(uid, "uid");
        return this;
    }

    public DataStream<T> setParallelism(int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
        }
        draft("setParallelism").parallelism = parallelism;
        return this;
    }

    /** Declares the output type where it cannot be found from the function. */
    @SuppressWarnings("unchecked")
    public <R> DataStream<R> returns(TypeSerializer<R> outputType) {
        GraphBuilder.NodeDraft draft = draft("returns");
        draft.outputType = Objects.requireNonNull(outputType, "outputType");
        draft.typeProblem = null;
        return new DataStream<>(env, upstreams, outputType);
    }

    // ---- sinks ----

    public StreamSink sinkTo(Sink<T> sink) {
        int id = env.graph().addNode("Sink", env.getParallelism(), new OperatorSpec.SinkSpec(sink), type, null);
        env.graph().connect(upstreams, id, 0);
        return new StreamSink(env.graph().node(id));
    }

    /** Prints every record to standard output (for development). */
    public StreamSink print() {
        return sinkTo(new PrintSink<>()).name("Print");
    }

    // ---- internals ----

    <R> DataStream<R> addOperator(String name, OperatorSpec spec, OutputTypes<R> outputType) {
        int id = env.graph().addNode(name, env.getParallelism(), spec, outputType.serializer(), outputType.problem());
        env.graph().connect(upstreams, id, 0);
        return new DataStream<>(env, Upstream.main(id), outputType.serializer());
    }

    static <R> DataStream<R> addTwoInputOperator(StreamEnvironment env, List<Upstream> first, List<Upstream> second,
            String name, OperatorSpec spec, OutputTypes<R> outputType) {
        int id = env.graph().addNode(name, env.getParallelism(), spec, outputType.serializer(), outputType.problem());
        env.graph().connect(first, id, 0);
        env.graph().connect(second, id, 1);
        return new DataStream<>(env, Upstream.main(id), outputType.serializer());
    }

    TypeSerializer<T> requireType() {
        if (type != null) {
            return type;
        }
        GraphBuilder.NodeDraft draft = env.graph().node(upstreams.getFirst().nodeId());
        throw new io.sluice.api.types.UnsupportedTypeException("The output type of operator '" + draft.name
                + "' cannot be determined: " + draft.typeProblem + ". Fix: call .returns(...) right after it");
    }

    List<Upstream> repartition(Partitioning p) {
        return upstreams.stream().map(u -> u.with(p)).toList();
    }

    private Upstream singleOperator(String method) {
        if (upstreams.size() != 1) {
            throw new IllegalStateException(method + "() applies to one operator's output, not to a union of streams");
        }
        return upstreams.getFirst();
    }

    private GraphBuilder.NodeDraft draft(String method) {
        Upstream u = singleOperator(method);
        if (u.sideOutput() != null) {
            throw new IllegalStateException(method + "() applies to an operator, not to its side output '" + u.sideOutput().id() + "'");
        }
        return env.graph().node(u.nodeId());
    }
}
