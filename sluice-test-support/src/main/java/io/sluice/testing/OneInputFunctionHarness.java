package io.sluice.testing;

import io.sluice.api.functions.FilterFunction;
import io.sluice.api.functions.FlatMapFunction;
import io.sluice.api.functions.MapFunction;
import io.sluice.runtime.operator.FilterOperator;
import io.sluice.runtime.operator.FlatMapOperator;
import io.sluice.runtime.operator.MapOperator;
import io.sluice.runtime.operator.OneInputOperator;

/**
 * Tests a map, flatMap or filter function on the runtime's own operator: what it emits, with which timestamps
 * (emitted records keep the input's), and that watermarks pass through. All of {@link OperatorHarness} applies.
 *
 * <pre>{@code
 * var split = OneInputFunctionHarness.flatMap(Words::split);
 * split.processElement("to be", 3);
 * assertEquals(List.of(new Timestamped<>("to", 3), new Timestamped<>("be", 3)), split.output());
 * }</pre>
 *
 * The harness calls the given function instance itself. Not thread-safe.
 */
@SuppressWarnings("try") // close() throws Exception, as the function's does
public final class OneInputFunctionHarness<IN, OUT> extends OperatorHarness<IN, OUT> {

    private OneInputFunctionHarness(OneInputOperator<IN> operator) {
        super(operator, null, Subtask.single());
    }

    public static <IN, OUT> OneInputFunctionHarness<IN, OUT> map(MapFunction<IN, OUT> function) {
        return new OneInputFunctionHarness<>(new MapOperator<>(function));
    }

    public static <IN, OUT> OneInputFunctionHarness<IN, OUT> flatMap(FlatMapFunction<IN, OUT> function) {
        return new OneInputFunctionHarness<>(new FlatMapOperator<>(function));
    }

    public static <T> OneInputFunctionHarness<T, T> filter(FilterFunction<T> function) {
        return new OneInputFunctionHarness<>(new FilterOperator<>(function));
    }
}
