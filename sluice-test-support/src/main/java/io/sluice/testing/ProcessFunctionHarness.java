package io.sluice.testing;

import io.sluice.api.functions.ProcessFunction;
import io.sluice.runtime.operator.ProcessOperator;
import java.util.List;

/**
 * Tests a (non-keyed) {@link ProcessFunction} on the runtime's own operator: main and side outputs with timestamps,
 * watermarks, and operator state (list, union) through snapshots and restores at any parallelism. All of
 * {@link OperatorHarness} applies; there is no keyed state.
 *
 * <pre>{@code
 * var harness = new ProcessFunctionHarness<>(new RouteErrors());
 * harness.processElement("ok:1", 5);
 * harness.processElement("bad", 6);
 * assertEquals(List.of("1"), harness.outputValues());
 * assertEquals(List.of(new Timestamped<>("bad", 6)), harness.sideOutput(RouteErrors.ERRORS));
 * }</pre>
 *
 * The harness calls the given function instance itself. Not thread-safe.
 */
@SuppressWarnings("try") // close() throws Exception, as the function's does
public final class ProcessFunctionHarness<IN, OUT> extends OperatorHarness<IN, OUT> {

    /** A harness for subtask 0 of 1. */
    public ProcessFunctionHarness(ProcessFunction<IN, OUT> function) {
        this(Subtask.single(), function);
    }

    public ProcessFunctionHarness(Subtask subtask, ProcessFunction<IN, OUT> function) {
        super(new ProcessOperator<>(function), null, subtask);
    }

    /** A fresh harness for {@code subtask} restored from {@code snapshots} (one per old subtask), not yet opened. */
    public static <IN, OUT> ProcessFunctionHarness<IN, OUT> restoredFrom(List<HarnessSnapshot> snapshots, Subtask subtask,
            ProcessFunction<IN, OUT> function) {
        var harness = new ProcessFunctionHarness<>(subtask, function);
        harness.restore(snapshots);
        return harness;
    }
}
