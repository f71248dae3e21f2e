package io.sluice.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.functions.OutputTag;
import io.sluice.api.functions.Collector;
import io.sluice.api.functions.ProcessFunction;
import io.sluice.api.functions.RuntimeContext;
import io.sluice.api.types.Types;
import io.sluice.runtime.operator.KeyedReduceOperator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The harness itself: what goes in, what comes out, its life cycle and the mistakes it reports. */
class HarnessTest {
    static final OutputTag<String> ERRORS = new OutputTag<>("errors", Types.STRING);

    /** Parses {@code ok:<n>} to n; anything else goes to the errors side output. Records its life cycle. */
    static final class RouteErrors implements ProcessFunction<String, Integer> {
        final List<String> calls = new ArrayList<>();

        @Override
        public void open(RuntimeContext context) {
            calls.add("open " + context.operatorName() + " " + context.subtaskIndex() + "/" + context.parallelism()
                    + " of " + context.maxParallelism());
        }

        @Override
        public void processElement(String value, Context ctx, Collector<Integer> out) {
            calls.add("wm " + ctx.currentWatermark());
            if (value.startsWith("ok:")) {
                out.collect(Integer.parseInt(value.substring(3)));
            } else {
                ctx.output(ERRORS, value);
            }
        }

        @Override
        public void close() {
            calls.add("close");
        }
    }

    @Test
    void aProcessFunctionsOutputsSideOutputsAndWatermarks() throws Exception {
        RouteErrors f = new RouteErrors();
        var h = new ProcessFunctionHarness<>(new Subtask(1, 3, 16), f);
        h.processElement("ok:1", 5);
        h.processWatermark(10);
        h.processElement("bad", 6);
        h.processElement("ok:2");
        assertEquals(List.of(new Timestamped<>(1, 5), new Timestamped<>(2, Long.MIN_VALUE)), h.output());
        assertEquals(List.of(1, 2), h.outputValues());
        assertEquals(List.of(new Timestamped<>("bad", 6)), h.sideOutput(ERRORS));
        assertEquals(List.of(), h.sideOutput(new OutputTag<>("other", Types.STRING)));
        assertEquals(List.of(10L), h.watermarks());
        h.clearOutput();
        assertEquals(List.of(), h.output());
        assertEquals(List.of(), h.sideOutput(ERRORS));
        assertEquals(List.of(), h.watermarks());
        h.close();
        h.close();
        assertEquals(List.of("open under-test 1/3 of 16", "wm " + Long.MIN_VALUE, "wm 10", "wm 10", "close"), f.calls);
        assertThrows(IllegalStateException.class, () -> h.processElement("ok:3"));
    }

    @Test
    void mapFlatMapAndFilterKeepTimestampsAndPassWatermarks() throws Exception {
        var map = OneInputFunctionHarness.<String, Integer>map(String::length);
        map.processElement("abc", 7);
        map.processWatermark(8);
        assertEquals(List.of(new Timestamped<>(3, 7)), map.output());
        assertEquals(List.of(8L), map.watermarks());

        var split = OneInputFunctionHarness.<String, String>flatMap((line, out) -> {
            for (String w : line.split(" ")) {
                out.collect(w);
            }
        });
        split.processElement("to be", 3);
        assertEquals(List.of(new Timestamped<>("to", 3), new Timestamped<>("be", 3)), split.output());

        var even = OneInputFunctionHarness.<Integer>filter(i -> i % 2 == 0);
        for (int i = 0; i < 5; i++) {
            even.processElement(i, i * 10L);
        }
        assertEquals(List.of(new Timestamped<>(0, 0L), new Timestamped<>(2, 20L), new Timestamped<>(4, 40L)), even.output());
    }

    @Test
    void anEngineOperatorRunsInTheGenericHarness() throws Exception {
        var h = new OperatorHarness<String, String>(new KeyedReduceOperator<>(s -> s.substring(0, 1), (a, b) -> a + b, Types.STRING),
                Types.STRING, Subtask.single());
        h.processElement("a1", 1);
        h.processElement("b1", 2);
        h.processElement("a2", 3);
        assertEquals(List.of("a1", "b1", "a1a2"), h.outputValues());
        var restored = new OperatorHarness<String, String>(
                new KeyedReduceOperator<>(s -> s.substring(0, 1), (a, b) -> a + b, Types.STRING), Types.STRING, Subtask.single());
        restored.restore(h.snapshot());
        restored.processElement("a3", 4);
        assertEquals(List.of(new Timestamped<>("a1a2a3", 4)), restored.output());
    }

    @Test
    void mistakesAreReported() throws Exception {
        var keyed = new KeyedProcessFunctionHarness<>(new Subtask(0, 2, 128), TimerProbe.Cmd::key, Types.STRING, new TimerProbe());
        String foreign = "k0";
        for (int i = 0; keyed.ownsKey(foreign); i++) {
            foreign = "k" + i;
        }
        String notMine = foreign;
        assertThrows(IllegalStateException.class, () -> keyed.processElement(TimerProbe.count(notMine)));
        assertThrows(IllegalStateException.class, () -> keyed.state(notMine, TimerProbe.COUNT));
        assertThrows(IllegalStateException.class, () -> keyed.restore(List.of()), "restore after open");
        keyed.processWatermark(10);
        assertThrows(IllegalArgumentException.class, () -> keyed.processWatermark(9));
        keyed.setProcessingTime(10);
        assertThrows(IllegalArgumentException.class, () -> keyed.setProcessingTime(9));
        HarnessSnapshot snapshot = keyed.snapshot();
        assertTrue(snapshot.isKeyed());
        assertEquals(new Subtask(0, 2, 128), snapshot.subtask());

        var plain = new ProcessFunctionHarness<>(new RouteErrors());
        assertThrows(IllegalStateException.class, () -> plain.state("x", TimerProbe.COUNT));
        assertThrows(IllegalArgumentException.class, () -> plain.restore(snapshot), "keyed state into a non-keyed operator");
        assertThrows(IllegalArgumentException.class, () -> KeyedProcessFunctionHarness.restoredFrom(List.of(snapshot), 64, 1, 0,
                TimerProbe.Cmd::key, Types.STRING, new TimerProbe()), "another maxParallelism");
        assertThrows(IllegalArgumentException.class, () -> KeyedProcessFunctionHarness.restoredFrom(List.of(snapshot, snapshot),
                Subtask.single(), TimerProbe.Cmd::key, Types.STRING, new TimerProbe()), "one subtask twice");
        assertThrows(IllegalArgumentException.class, () -> new Subtask(2, 2, 128));
        assertThrows(IllegalArgumentException.class, () -> new Subtask(0, 4, 2));
    }
}
