package io.sluice.runtime.checkpoint;

import io.sluice.api.functions.Collector;
import io.sluice.api.functions.KeyedProcessFunction;
import io.sluice.api.functions.RuntimeContext;
import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.Types;
import java.util.Map;
import java.util.TreeMap;

/** Sums per key; emits "key=sum" once the input has ended. With its plain-Java oracle for 1..n keyed by v % KEYS. */
public final class SumPerKey implements KeyedProcessFunction<Long, Long, String> {
    /** The number of keys the tests using it key by ({@code v % KEYS}). */
    public static final int KEYS = 1_000;

    private transient ValueState<Long> sum;

    /** The sum per key of 1..n keyed by {@code v % KEYS}: the oracle. */
    public static Map<Long, Long> oracle(long n) {
        return oracle(n, KEYS);
    }

    /** The sum per key of 1..n keyed by {@code v % keys}. */
    public static Map<Long, Long> oracle(long n, int keys) {
        Map<Long, Long> sums = new TreeMap<>();
        for (long v = 1; v <= n; v++) {
            sums.merge(v % keys, v, Long::sum);
        }
        return sums;
    }

    /** The job's {@code key=sum} lines as a map; fails on a key emitted twice. */
    public static Map<Long, Long> parse(Iterable<String> lines) {
        Map<Long, Long> sums = new TreeMap<>();
        for (String line : lines) {
            String[] kv = line.split("=");
            Long previous = sums.put(Long.parseLong(kv[0]), Long.parseLong(kv[1]));
            if (previous != null) {
                throw new AssertionError("key emitted twice: " + line);
            }
        }
        return sums;
    }

    @Override
    public void open(RuntimeContext context) {
        sum = context.getState(new ValueStateDescriptor<>("sum", Types.LONG, 0L));
    }

    @Override
    public void processElement(Long value, Context<Long> ctx, Collector<String> out) {
        if (sum.value() == 0L) {
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
        }
        sum.update(sum.value() + value);
    }

    @Override
    public void onTimer(long time, OnTimerContext<Long> ctx, Collector<String> out) {
        out.collect(ctx.currentKey() + "=" + sum.value());
    }
}
