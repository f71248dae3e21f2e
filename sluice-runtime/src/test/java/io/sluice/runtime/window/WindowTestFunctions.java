package io.sluice.runtime.window;

import io.sluice.api.functions.AggregateFunction;
import io.sluice.api.functions.ReduceFunction;
import io.sluice.api.windowing.ProcessWindowFunction;
import io.sluice.api.windowing.TimeWindow;
import io.sluice.runtime.window.WindowHarness.E;
import java.util.ArrayList;
import java.util.List;

/** Window functions shared by the operator tests; their output names key, window and values so tests read plainly. */
final class WindowTestFunctions {
    private WindowTestFunctions() {}

    /** Sums the values of a key. */
    static final ReduceFunction<E> SUM = (a, b) -> new E(a.key(), a.value() + b.value());

    /** {@code key[start,end):v1,v2,...} with the values in arrival order. */
    static final ProcessWindowFunction<E, String, String, TimeWindow> LIST = (key, ctx, elements, out) -> {
        List<String> values = new ArrayList<>();
        for (E e : elements) {
            values.add(Long.toString(e.value()));
        }
        out.collect(describe(key, ctx.window(), String.join(",", values)));
    };

    static String describe(String key, TimeWindow w, Object what) {
        return key + "[" + w.start() + "," + w.end() + "):" + what;
    }

    /** Count, sum and maximum of the values, as a record accumulator. */
    record Stats(long count, long sum, long max) {}

    static final class StatsAggregate implements AggregateFunction<E, Stats, String> {
        @Override
        public Stats createAccumulator() {
            return new Stats(0, 0, Long.MIN_VALUE);
        }

        @Override
        public Stats add(E value, Stats acc) {
            return new Stats(acc.count() + 1, acc.sum() + value.value(), Math.max(acc.max(), value.value()));
        }

        @Override
        public String getResult(Stats acc) {
            return "n=" + acc.count() + " sum=" + acc.sum() + " max=" + acc.max();
        }

        @Override
        public Stats merge(Stats a, Stats b) {
            return new Stats(a.count() + b.count(), a.sum() + b.sum(), Math.max(a.max(), b.max()));
        }
    }
}
