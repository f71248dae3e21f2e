package io.sluice.runtime.operator.factory;

import io.sluice.api.eventtime.WatermarkStrategy;
import io.sluice.api.functions.CoProcessFunction;
import io.sluice.api.functions.FilterFunction;
import io.sluice.api.functions.FlatMapFunction;
import io.sluice.api.functions.KeySelector;
import io.sluice.api.functions.KeyedProcessFunction;
import io.sluice.api.functions.MapFunction;
import io.sluice.api.functions.ProcessFunction;
import io.sluice.api.functions.ReduceFunction;
import io.sluice.api.graph.JobConfig;
import io.sluice.api.graph.OperatorSpec;
import io.sluice.api.graph.StreamNode;
import io.sluice.api.sink.Sink;
import io.sluice.api.types.TypeSerializer;
import io.sluice.runtime.operator.BroadcastProcessOperator;
import io.sluice.runtime.operator.CoProcessOperator;
import io.sluice.runtime.operator.FilterOperator;
import io.sluice.runtime.operator.FlatMapOperator;
import io.sluice.runtime.operator.KeyedBroadcastProcessOperator;
import io.sluice.runtime.operator.KeyedCoProcessOperator;
import io.sluice.runtime.operator.KeyedProcessOperator;
import io.sluice.runtime.operator.KeyedReduceOperator;
import io.sluice.runtime.operator.MapOperator;
import io.sluice.runtime.operator.ProcessOperator;
import io.sluice.runtime.operator.SinkOperator;
import io.sluice.runtime.operator.StreamOperator;
import io.sluice.runtime.operator.TimestampsOperator;
import io.sluice.runtime.operator.TransactionalSinkOperator;

/** Turns a node of the job graph into a fresh operator instance for one subtask. */
public final class OperatorFactory {
    private OperatorFactory() {}

    /** Like {@link #create(StreamNode, Object)}, for operators that also obey the job's settings. */
    public static StreamOperator create(StreamNode node, Object function, JobConfig config) {
        return create(node, function, config, java.time.Duration.ZERO);
    }

    /**
     * Like {@link #create(StreamNode, Object, JobConfig)}; a transactional sink is told {@code expectedRecovery}, the
     * longest its pre-committed transactions may wait for their commit ({@link RecoveryTime}).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static StreamOperator create(StreamNode node, Object function, JobConfig config,
            java.time.Duration expectedRecovery) {
        if (node.spec() instanceof OperatorSpec.TimestampsSpec) {
            return new TimestampsOperator<>((WatermarkStrategy) function, config.autoWatermarkIntervalMillis());
        }
        if (node.spec() instanceof OperatorSpec.SinkSpec && function instanceof io.sluice.api.sink.TwoPhaseCommitSink<?, ?> t) {
            return new TransactionalSinkOperator<>((io.sluice.api.sink.TwoPhaseCommitSink) t, expectedRecovery);
        }
        return create(node, function);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static StreamOperator create(StreamNode node, Object function) {
        return switch (node.spec()) {
            case OperatorSpec.MapSpec s -> new MapOperator<>((MapFunction) function);
            case OperatorSpec.FlatMapSpec s -> new FlatMapOperator<>((FlatMapFunction) function);
            case OperatorSpec.FilterSpec s -> new FilterOperator<>((FilterFunction) function);
            case OperatorSpec.TimestampsSpec s -> new TimestampsOperator<>((WatermarkStrategy) function,
                    JobConfig.DEFAULT_AUTO_WATERMARK_INTERVAL_MILLIS);
            case OperatorSpec.ProcessSpec s -> new ProcessOperator<>((ProcessFunction) function);
            case OperatorSpec.KeyedProcessSpec s ->
                    new KeyedProcessOperator<>((KeySelector) s.keySelector(), (KeyedProcessFunction) function);
            case OperatorSpec.KeyedReduceSpec s ->
                    new KeyedReduceOperator<>((KeySelector) s.keySelector(), (ReduceFunction) function,
                            (TypeSerializer) node.outputType());
            case OperatorSpec.CoProcessSpec s -> new CoProcessOperator<>((CoProcessFunction) function);
            case OperatorSpec.KeyedCoProcessSpec s -> new KeyedCoProcessOperator<>((KeySelector) s.keySelector1(),
                    (KeySelector) s.keySelector2(), (io.sluice.api.functions.KeyedCoProcessFunction) function);
            case OperatorSpec.BroadcastProcessSpec s ->
                    new BroadcastProcessOperator<>((io.sluice.api.functions.BroadcastProcessFunction) function);
            case OperatorSpec.KeyedBroadcastProcessSpec s -> new KeyedBroadcastProcessOperator<>((KeySelector) s.keySelector(),
                    (io.sluice.api.functions.KeyedBroadcastProcessFunction) function);
            case OperatorSpec.WindowSpec s -> new io.sluice.runtime.window.WindowOperator<>((OperatorSpec.WindowSpec) function);
            case OperatorSpec.SinkSpec s -> function instanceof io.sluice.api.sink.TwoPhaseCommitSink<?, ?> transactional
                    ? new TransactionalSinkOperator<>((io.sluice.api.sink.TwoPhaseCommitSink) transactional)
                    : new SinkOperator<>((Sink) function);
            case OperatorSpec.SourceSpec s -> throw new IllegalArgumentException("sources are driven by their task, not operators");
        };
    }

    /** The user object of a spec, which each subtask needs its own copy of. */
    public static Object userObject(OperatorSpec spec) {
        return switch (spec) {
            case OperatorSpec.MapSpec s -> s.function();
            case OperatorSpec.FlatMapSpec s -> s.function();
            case OperatorSpec.FilterSpec s -> s.function();
            case OperatorSpec.TimestampsSpec s -> s.strategy();
            case OperatorSpec.ProcessSpec s -> s.function();
            case OperatorSpec.KeyedProcessSpec s -> s.function();
            case OperatorSpec.KeyedReduceSpec s -> s.function();
            case OperatorSpec.CoProcessSpec s -> s.function();
            case OperatorSpec.KeyedCoProcessSpec s -> s.function();
            case OperatorSpec.BroadcastProcessSpec s -> s.function();
            case OperatorSpec.KeyedBroadcastProcessSpec s -> s.function();
            case OperatorSpec.WindowSpec s -> s; // assigner, trigger, evictor and functions: all copied per subtask
            case OperatorSpec.SinkSpec s -> s.sink();
            case OperatorSpec.SourceSpec s -> s.source();
        };
    }

    /** The key type of a keyed operator (which needs a keyed state backend), or {@code null}. */
    public static TypeSerializer<?> keyType(OperatorSpec spec) {
        return switch (spec) {
            case OperatorSpec.KeyedProcessSpec s -> s.keyType();
            case OperatorSpec.KeyedReduceSpec s -> s.keyType();
            case OperatorSpec.WindowSpec s -> s.keyType();
            case OperatorSpec.KeyedCoProcessSpec s -> s.keyType();
            case OperatorSpec.KeyedBroadcastProcessSpec s -> s.keyType();
            default -> null;
        };
    }
}
