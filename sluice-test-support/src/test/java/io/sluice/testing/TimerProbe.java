package io.sluice.testing;

import io.sluice.api.functions.Collector;
import io.sluice.api.functions.KeyedProcessFunction;
import io.sluice.api.functions.RuntimeContext;
import io.sluice.api.functions.TimeDomain;
import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * A keyed function driven by commands: counts records per key in value state, registers and deletes timers of either
 * domain on request; on a timer it records what fired (domain, key, time, the context's timestamp and clock) and
 * emits {@code key@time}.
 */
final class TimerProbe implements KeyedProcessFunction<String, TimerProbe.Cmd, String> {
    static final ValueStateDescriptor<Long> COUNT = new ValueStateDescriptor<>("count", Types.LONG, 0L);

    enum Op { COUNT, REGISTER_EVENT, DELETE_EVENT, REGISTER_PROCESSING, DELETE_PROCESSING }

    record Cmd(String key, Op op, long time) {}

    /** A timer as the function saw it fire. */
    record Fired(TimeDomain domain, String key, long time, long contextTimestamp, long processingTime) {}

    /** Where firings go; may be shared by the harnesses of several subtasks or by a harness and its restored successor. */
    final List<Fired> fired;
    private transient ValueState<Long> count;

    TimerProbe() {
        this(new ArrayList<>());
    }

    TimerProbe(List<Fired> fired) {
        this.fired = fired;
    }

    static Cmd count(String key) {
        return new Cmd(key, Op.COUNT, 0);
    }

    static Cmd event(String key, long time) {
        return new Cmd(key, Op.REGISTER_EVENT, time);
    }

    static Cmd deleteEvent(String key, long time) {
        return new Cmd(key, Op.DELETE_EVENT, time);
    }

    static Cmd processing(String key, long time) {
        return new Cmd(key, Op.REGISTER_PROCESSING, time);
    }

    static Cmd deleteProcessing(String key, long time) {
        return new Cmd(key, Op.DELETE_PROCESSING, time);
    }

    @Override
    public void open(RuntimeContext context) {
        count = context.getState(COUNT);
    }

    @Override
    public void processElement(Cmd cmd, Context<String> ctx, Collector<String> out) {
        switch (cmd.op()) {
            case COUNT -> count.update(count.value() + 1);
            case REGISTER_EVENT -> ctx.timerService().registerEventTimeTimer(cmd.time());
            case DELETE_EVENT -> ctx.timerService().deleteEventTimeTimer(cmd.time());
            case REGISTER_PROCESSING -> ctx.timerService().registerProcessingTimeTimer(cmd.time());
            case DELETE_PROCESSING -> ctx.timerService().deleteProcessingTimeTimer(cmd.time());
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext<String> ctx, Collector<String> out) {
        fired.add(new Fired(ctx.timeDomain(), ctx.currentKey(), timestamp, ctx.timestamp(),
                ctx.timerService().currentProcessingTime()));
        out.collect(ctx.currentKey() + "@" + timestamp);
    }
}
