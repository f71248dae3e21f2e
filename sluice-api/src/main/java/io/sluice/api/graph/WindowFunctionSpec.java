package io.sluice.api.graph;

import io.sluice.api.functions.AggregateFunction;
import io.sluice.api.functions.ReduceFunction;
import io.sluice.api.types.TypeSerializer;
import io.sluice.api.windowing.ProcessWindowFunction;
import java.io.Serializable;
import java.util.Objects;

/**
 * How a window operator turns a window's records into results: plain data inside {@link OperatorSpec.WindowSpec}.
 * Incremental kinds ({@link Reduce}, {@link Aggregate}) keep one value per key and window; {@link Process} keeps the
 * records. Each may end in a {@link ProcessWindowFunction} ({@code null}: emit the reduced value or the aggregate's
 * result as it is).
 */
public sealed interface WindowFunctionSpec extends Serializable {

    /** The process window function at the end, or {@code null}. */
    ProcessWindowFunction<?, ?, ?, ?> windowFunction();

    /** Reduces the records of a window to one value of the input type. */
    record Reduce(ReduceFunction<?> reducer, ProcessWindowFunction<?, ?, ?, ?> windowFunction) implements WindowFunctionSpec {
        public Reduce {
            Objects.requireNonNull(reducer, "reducer");
        }
    }

    /** Folds the records of a window into an accumulator of type {@code accumulatorType}. */
    record Aggregate(AggregateFunction<?, ?, ?> aggregate, TypeSerializer<?> accumulatorType,
            ProcessWindowFunction<?, ?, ?, ?> windowFunction) implements WindowFunctionSpec {
        public Aggregate {
            Objects.requireNonNull(aggregate, "aggregate");
            Objects.requireNonNull(accumulatorType, "accumulatorType");
        }
    }

    /** Keeps every record; the window function sees them all. */
    record Process(ProcessWindowFunction<?, ?, ?, ?> windowFunction) implements WindowFunctionSpec {
        public Process {
            Objects.requireNonNull(windowFunction, "windowFunction");
        }
    }
}
