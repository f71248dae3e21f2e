package io.sluice.nexmark.flink;

import io.sluice.nexmark.results.HighestBid;
import io.sluice.nexmark.results.HotItem;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The second phase of a "maximum per window" query, keyed by window end: the per-key results of a window operator
 * arrive with the timestamp {@code windowEnd - 1} (Flink's {@code window.maxTimestamp()}); this keeps the highest
 * score and the results with it (all tied ones) and emits them from an event-time timer at that timestamp, which fires
 * once the watermark has passed the window, i.e. after every upstream subtask has fired it. State per window: the
 * leading score (a value) and the leading results (a list state: a tie appends), cleared when emitted.
 *
 * @param <R> the results (all of one window have the same key)
 */
abstract class MaxPerWindow<R> extends KeyedProcessFunction<Long, R, R> {

    private final TypeInformation<R> type;
    private transient ValueState<Long> lead;
    private transient ListState<R> leaders;

    MaxPerWindow(Class<R> type) {
        this.type = TypeInformation.of(type);
    }

    /** The score to maximize. */
    abstract long score(R result);

    @Override
    public void open(OpenContext context) {
        lead = getRuntimeContext().getState(new ValueStateDescriptor<>("lead", Types.LONG));
        leaders = getRuntimeContext().getListState(new ListStateDescriptor<>("leaders", type));
    }

    @Override
    public void processElement(R r, Context ctx, Collector<R> out) throws Exception {
        Long current = lead.value();
        long s = score(r);
        if (current == null) {
            ctx.timerService().registerEventTimeTimer(ctx.timestamp());
        } else if (s < current) {
            return;
        } else if (s == current) {
            leaders.add(r);
            return;
        }
        lead.update(s);
        leaders.update(List.of(r));
    }

    @Override
    public void onTimer(long time, OnTimerContext ctx, Collector<R> out) throws Exception {
        for (R r : leaders.get()) {
            out.collect(r);
        }
        leaders.clear();
        lead.clear();
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
