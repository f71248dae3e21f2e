package io.sluice.api.graph;

import io.sluice.api.eventtime.WatermarkStrategy;
import io.sluice.api.functions.CoProcessFunction;
import io.sluice.api.functions.FilterFunction;
import io.sluice.api.functions.FlatMapFunction;
import io.sluice.api.functions.KeySelector;
import io.sluice.api.functions.KeyedProcessFunction;
import io.sluice.api.functions.MapFunction;
import io.sluice.api.functions.ProcessFunction;
import io.sluice.api.functions.ReduceFunction;
import io.sluice.api.sink.Sink;
import io.sluice.api.source.Source;
import io.sluice.api.types.TypeSerializer;
import java.io.Serializable;

/**
 * What a node of the job graph does: plain data naming the user's function, translated into a runtime
 * operator by the planner. Keyed specs carry the key selector and key type because the operator itself
 * extracts the key of each record (the channel before it only routes).
 */
public sealed interface OperatorSpec extends Serializable {

    /** A short description for logs and thread names, e.g. {@code Map}. */
    default String kind() {
        return getClass().getSimpleName().replace("Spec", "");
    }

    /** A source; its records get timestamps and watermarks from {@code watermarkStrategy}, per split. */
    record SourceSpec(Source<?, ?> source, WatermarkStrategy<?> watermarkStrategy) implements OperatorSpec {
        /** A source without watermarks (only the final one at the end of a bounded input). */
        public SourceSpec(Source<?, ?> source) {
            this(source, WatermarkStrategy.noWatermarks());
        }

        @Override
        public String kind() {
            return "Source";
        }
    }

    record MapSpec(MapFunction<?, ?> function) implements OperatorSpec {}

    record FlatMapSpec(FlatMapFunction<?, ?> function) implements OperatorSpec {}

    record FilterSpec(FilterFunction<?> function) implements OperatorSpec {}

    /** {@code assignTimestampsAndWatermarks}: new timestamps and watermarks for a stream, chained like a map. */
    record TimestampsSpec(WatermarkStrategy<?> strategy) implements OperatorSpec {}

    record ProcessSpec(ProcessFunction<?, ?> function) implements OperatorSpec {}

    record KeyedProcessSpec(KeySelector<?, ?> keySelector, TypeSerializer<?> keyType, KeyedProcessFunction<?, ?, ?> function)
            implements OperatorSpec {}

    record KeyedReduceSpec(KeySelector<?, ?> keySelector, TypeSerializer<?> keyType, ReduceFunction<?> function)
            implements OperatorSpec {}

    /** Two inputs: edges with {@code targetInput} 0 feed {@code processElement1}, 1 feed {@code processElement2}. */
    record CoProcessSpec(CoProcessFunction<?, ?, ?> function) implements OperatorSpec {}

    /** Two keyed inputs with equal key types: input 0 keyed by {@code keySelector1}, input 1 by {@code keySelector2}. */
    record KeyedCoProcessSpec(KeySelector<?, ?> keySelector1, KeySelector<?, ?> keySelector2, TypeSerializer<?> keyType,
            io.sluice.api.functions.KeyedCoProcessFunction<?, ?, ?, ?> function) implements OperatorSpec {}

    /** Input 0 the data stream, input 1 the broadcast stream. */
    record BroadcastProcessSpec(io.sluice.api.functions.BroadcastProcessFunction<?, ?, ?> function) implements OperatorSpec {}

    /** Input 0 the keyed data stream, input 1 the broadcast stream. */
    record KeyedBroadcastProcessSpec(KeySelector<?, ?> keySelector, TypeSerializer<?> keyType,
            io.sluice.api.functions.KeyedBroadcastProcessFunction<?, ?, ?, ?> function) implements OperatorSpec {}

    /**
     * A keyed window operator: {@code assigner} puts records into windows, {@code trigger} fires them, the optional
     * {@code evictor} removes elements when they fire, and {@code function} computes results. Event-time windows keep
     * their state until {@code maxTimestamp + allowedLatenessMillis}; records for windows past that go to
     * {@code lateDataTag} (or are dropped when it is {@code null}). {@code inputType} serializes kept records.
     */
    record WindowSpec(KeySelector<?, ?> keySelector, TypeSerializer<?> keyType, TypeSerializer<?> inputType,
            io.sluice.api.windowing.WindowAssigner<?, ?> assigner, io.sluice.api.windowing.Trigger<?, ?> trigger,
            io.sluice.api.windowing.Evictor<?, ?> evictor, long allowedLatenessMillis,
            io.sluice.api.functions.OutputTag<?> lateDataTag, WindowFunctionSpec function) implements OperatorSpec {
        @Override
        public String kind() {
            return "Window";
        }
    }

    record SinkSpec(Sink<?> sink) implements OperatorSpec {
        @Override
        public String kind() {
            return "Sink";
        }
    }
}
