package io.sluice.runtime.window;

import static io.sluice.runtime.window.WindowHarness.spec;
import static io.sluice.runtime.window.WindowTestFunctions.SUM;
import static java.time.Duration.ofMillis;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.DataStream;
import io.sluice.api.functions.OutputTag;
import io.sluice.api.StreamEnvironment;
import io.sluice.api.functions.AggregateFunction;
import io.sluice.api.functions.Collector;
import io.sluice.api.functions.RuntimeContext;
import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.Types;
import io.sluice.api.types.UnsupportedTypeException;
import io.sluice.api.windowing.ProcessWindowFunction;
import io.sluice.api.windowing.TimeWindow;
import io.sluice.api.windowing.assigners.TumblingEventTimeWindows;
import io.sluice.runtime.window.WindowHarness.E;
import io.sluice.runtime.window.WindowHarness.Rec;
import io.sluice.runtime.window.WindowTestFunctions.StatsAggregate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Window functions: the process context, combined incremental + process functions, life cycle, and output types. */
class WindowFunctionTest {
    static final OutputTag<String> INFO = new OutputTag<>("info", Types.STRING);

    /**
     * Reports what its context says, emits a side output, and counts firings per key in keyed state (state that spans
     * the key's windows).
     */
    static final class Reporting implements ProcessWindowFunction<E, String, String, TimeWindow> {
        transient ValueState<Long> firings;
        static int opened;
        static int closed;

        @Override
        public void open(RuntimeContext context) {
            opened++;
            firings = context.getState(new ValueStateDescriptor<>("firings", Types.LONG, 0L));
        }

        @Override
        public void process(String key, Context<TimeWindow> ctx, Iterable<E> elements, Collector<String> out) {
            long n = 0;
            for (E ignored : elements) {
                n++;
            }
            firings.update(firings.value() + 1);
            out.collect(key + " " + ctx.window() + " n=" + n + " wm=" + ctx.currentWatermark() + " now="
                    + ctx.currentProcessingTime() + " firing=" + firings.value());
            ctx.output(INFO, "side " + key);
        }

        @Override
        public void close() {
            closed++;
        }
    }

    @Test
    void theProcessContextKnowsWindowWatermarkClockAndSideOutputs() throws Exception {
        Reporting.opened = 0;
        Reporting.closed = 0;
        WindowHarness h = new WindowHarness(spec(k -> k.window(TumblingEventTimeWindows.of(ofMillis(10)))
                .process(new Reporting())), "info");
        assertEquals(1, Reporting.opened);
        h.clockTo(77).record("a", 1, 1).record("a", 2, 2).record("a", 3, 13).watermark(15);
        h.watermark(25);
        assertEquals(List.of(new Rec("a TimeWindow[0, 10) n=2 wm=15 now=77 firing=1", 9),
                new Rec("a TimeWindow[10, 20) n=1 wm=25 now=77 firing=2", 19)), h.output());
        assertEquals(List.of(new Rec("side a", 9), new Rec("side a", 19)), h.side("info"),
                "side outputs carry the window's maxTimestamp");
        h.operator.close();
        assertEquals(1, Reporting.closed);
    }

    @Test
    void reduceThenProcessSeesTheSingleReducedValue() throws Exception {
        ProcessWindowFunction<E, String, String, TimeWindow> describe = (key, ctx, elements, out) -> {
            List<E> all = new java.util.ArrayList<>();
            elements.forEach(all::add);
            out.collect(WindowTestFunctions.describe(key, ctx.window(), all));
        };
        WindowHarness h = new WindowHarness(spec(k -> k.window(TumblingEventTimeWindows.of(ofMillis(10)))
                .reduce(SUM, describe, Types.STRING)));
        h.record("a", 1, 1).record("a", 2, 2).record("b", 5, 3).watermark(9);
        assertEquals(List.of("a[0,10):[E[key=a, value=3]]", "b[0,10):[E[key=b, value=5]]"),
                h.values().stream().map(String::valueOf).sorted().toList());
        assertEquals(0, h.contentsEntries());
    }

    @Test
    void aggregateThenProcessSeesTheSingleResult() throws Exception {
        ProcessWindowFunction<String, String, String, TimeWindow> label =
                (key, ctx, results, out) -> results.forEach(r -> out.collect(key + "@" + ctx.window().start() + " " + r));
        WindowHarness h = new WindowHarness(spec(k -> k.window(TumblingEventTimeWindows.of(ofMillis(10)))
                .aggregate(new StatsAggregate(), label, Types.of(WindowTestFunctions.Stats.class), Types.STRING)));
        h.record("a", 4, 1).record("a", 9, 2).record("a", 1, 11).watermark(Long.MAX_VALUE);
        assertEquals(List.of("a@0 n=2 sum=13 max=9", "a@10 n=1 sum=1 max=1"), h.values());
    }

    @Test
    void outputAndAccumulatorTypesAreFoundFromClassesAndDemandedForLambdas() {
        StreamEnvironment env = StreamEnvironment.create();
        var windowed = env.fromElements(new E("a", 1)).keyBy(E::key, Types.STRING)
                .window(TumblingEventTimeWindows.of(ofMillis(10)));
        DataStream<String> aggregated = windowed.aggregate(new StatsAggregate());
        assertSame(Types.STRING, aggregated.type(), "result type from the class's type arguments");
        assertEquals(Types.of(E.class).typeName(), windowed.reduce(SUM).type().typeName(), "reduce keeps the input type");
        DataStream<String> processed = windowed.process(new Reporting());
        assertSame(Types.STRING, processed.type());
        assertEquals(null, windowed.process((key, ctx, elements, out) -> out.collect(key)).type(),
                "a lambda's collector type is erased: unknown until returns(...)");

        AggregateFunction<E, long[], Long> anonymousGeneric = new AggregateFunction<>() {
            @Override
            public long[] createAccumulator() {
                return new long[1];
            }

            @Override
            public long[] add(E value, long[] acc) {
                acc[0] += value.value();
                return acc;
            }

            @Override
            public Long getResult(long[] acc) {
                return acc[0];
            }

            @Override
            public long[] merge(long[] a, long[] b) {
                a[0] += b[0];
                return a;
            }
        };
        UnsupportedTypeException e = assertThrows(UnsupportedTypeException.class, () -> windowed.aggregate(anonymousGeneric));
        assertTrue(e.getMessage().contains("accumulator") && e.getMessage().contains("aggregate(function, accumulatorType, resultType)"),
                e.getMessage());
    }
}
