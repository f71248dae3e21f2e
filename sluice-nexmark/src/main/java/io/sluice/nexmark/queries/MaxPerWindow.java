package io.sluice.nexmark.queries;

import io.sluice.api.functions.Collector;
import io.sluice.api.functions.KeyedProcessFunction;
import io.sluice.api.functions.RuntimeContext;
import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.TypeSerializer;
import io.sluice.api.types.Types;
import io.sluice.nexmark.results.HighestBid;
import io.sluice.nexmark.results.HotItem;
import java.util.ArrayList;
import java.util.List;

/**
 * The second phase of a "maximum per window" query, keyed by window end: the per-key results of a window operator
 * arrive with the timestamp {@code windowEnd - 1}; this keeps those with the highest score (all tied ones) and emits
 * them from an event-time timer at {@code windowEnd - 1}, which fires once the watermark has passed the window, i.e.
 * after every upstream subtask has fired it. State per window: the leading results, cleared when they are emitted.
 *
 * @param <R> the results (all of one window have the same key)
 */
abstract class MaxPerWindow<R> implements KeyedProcessFunction<Long, R, R> {

    private final TypeSerializer<R> type;
    private transient ValueState<List<R>> leaders;

    MaxPerWindow(Class<R> type) {
        this.type = Types.of(type);
    }

    /** The score to maximize. */
    abstract long score(R result);

    @Override
    public void open(RuntimeContext context) {
        leaders = context.getState(new ValueStateDescriptor<>("leaders", Types.list(type)));
    }

    @Override
    public void processElement(R r, Context<Long> ctx, Collector<R> out) {
        List<R> current = leaders.value();
        if (current == null) {
            ctx.timerService().registerEventTimeTimer(ctx.timestamp());
            current = new ArrayList<>(1);
        } else {
            long lead = score(current.getFirst());
            long s = score(r);
            if (s < lead) {
                return;
            }
            if (s > lead) {
                current = new ArrayList<>(1);
            }
        }
        current.add(r);
        leaders.update(current);
    }

    @Override
    public void onTimer(long time, OnTimerContext<Long> ctx, Collector<R> out) {
        List<R> current = leaders.value();
        if (current != null) {
            for (R r : current) {
                out.collect(r);
            }
            leaders.clear();
        }
    }

    /** q5: the auctions with the most bids. */
    static final class MostBids extends MaxPerWindow<HotItem> {
        MostBids() {
            super(HotItem.class);
        }

        @Override
        long score(HotItem r) {
            return r.bids();
        }
    }

    /** q7: the bids with the highest price. */
    static final class HighestPrice extends MaxPerWindow<HighestBid> {
        HighestPrice() {
            super(HighestBid.class);
        }

        @Override
        long score(HighestBid r) {
            return r.price();
        }
    }
}
