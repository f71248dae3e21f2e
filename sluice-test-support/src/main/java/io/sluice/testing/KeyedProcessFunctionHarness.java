package io.sluice.testing;

import io.sluice.api.functions.KeySelector;
import io.sluice.api.functions.KeyedProcessFunction;
import io.sluice.api.types.TypeSerializer;
import io.sluice.runtime.operator.KeyedProcessOperator;
import java.util.List;

/**
 * Tests a {@link KeyedProcessFunction} on the runtime's own keyed operator: keyed state on a heap backend, event-time
 * timers fired by {@link #processWatermark}, processing-time timers by {@link #setProcessingTime}, side outputs,
 * snapshots and restores (also at another parallelism). All of {@link OperatorHarness} applies.
 *
 * <pre>{@code
 * var harness = new KeyedProcessFunctionHarness<>(Event::user, Types.STRING, new SessionCounter());
 * harness.processElement(new Event("ann", 10), 10);
 * harness.processWatermark(100);                        // fires ann's event-time timers up to 100
 * assertEquals(List.of(new Timestamped<>("ann:1", 100)), harness.output());
 * assertEquals(1L, harness.state("ann", SessionCounter.COUNT).value());
 *
 * HarnessSnapshot snapshot = harness.snapshot();
 * var restored = KeyedProcessFunctionHarness.restoredFrom(List.of(snapshot), Subtask.single(),
 *         Event::user, Types.STRING, new SessionCounter());
 * }</pre>
 *
 * The harness calls the function instance it is given (the runtime would call a serialized copy per subtask), so a
 * test may look at the function's own fields. Not thread-safe.
 *
 * @param <K>   the key type
 * @param <IN>  the input type
 * @param <OUT> the main output's type
 */
@SuppressWarnings("try") // close() throws Exception, as the function's does
public final class KeyedProcessFunctionHarness<K, IN, OUT> extends OperatorHarness<IN, OUT> {

    /** A harness for subtask 0 of 1 with the default 128 key groups. */
    public KeyedProcessFunctionHarness(KeySelector<IN, K> keySelector, TypeSerializer<K> keySerializer,
            KeyedProcessFunction<K, IN, OUT> function) {
        this(Subtask.single(), keySelector, keySerializer, function);
    }

    /** A harness for the given subtask: it accepts only keys of that subtask's key groups. */
    public KeyedProcessFunctionHarness(Subtask subtask, KeySelector<IN, K> keySelector, TypeSerializer<K> keySerializer,
            KeyedProcessFunction<K, IN, OUT> function) {
        super(new KeyedProcessOperator<>(keySelector, function), keySerializer, subtask);
    }

    /**
     * A fresh harness for {@code subtask}, restored from {@code snapshots} (typically one per old subtask; any
     * parallelism) and not yet opened.
     */
    public static <K, IN, OUT> KeyedProcessFunctionHarness<K, IN, OUT> restoredFrom(List<HarnessSnapshot> snapshots,
            Subtask subtask, KeySelector<IN, K> keySelector, TypeSerializer<K> keySerializer,
            KeyedProcessFunction<K, IN, OUT> function) {
        var harness = new KeyedProcessFunctionHarness<>(subtask, keySelector, keySerializer, function);
        harness.restore(snapshots);
        return harness;
    }

    /** {@link #restoredFrom(List, Subtask, KeySelector, TypeSerializer, KeyedProcessFunction)} with the subtask spelled out. */
    public static <K, IN, OUT> KeyedProcessFunctionHarness<K, IN, OUT> restoredFrom(List<HarnessSnapshot> snapshots,
            int maxParallelism, int parallelism, int subtask, KeySelector<IN, K> keySelector, TypeSerializer<K> keySerializer,
            KeyedProcessFunction<K, IN, OUT> function) {
        return restoredFrom(snapshots, new Subtask(subtask, parallelism, maxParallelism), keySelector, keySerializer, function);
    }
}
