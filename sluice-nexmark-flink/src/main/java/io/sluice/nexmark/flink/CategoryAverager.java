package io.sluice.nexmark.flink;

import io.sluice.nexmark.results.CategoryAverage;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * q4's second phase, keyed by category: how many auctions had a winner and the sum of their winning prices; a timer
 * at {@code Long.MAX_VALUE} (reached when the input ends: Flink then emits the final watermark) emits the count and
 * the average (integer division).
 */
final class CategoryAverager extends KeyedProcessFunction<Long, AuctionWinner.Winner, CategoryAverage> {

    /** Winning auctions of a category so far. */
    public record Sum(long auctions, long prices) {}

    private transient ValueState<Sum> sum;

    @Override
    public void open(OpenContext context) {
        sum = getRuntimeContext().getState(new ValueStateDescriptor<>("category-sum", Sum.class));
    }

    @Override
    public void processElement(AuctionWinner.Winner w, Context ctx, Collector<CategoryAverage> out) throws Exception {
        Sum s = sum.value();
        if (s == null) {
            s = new Sum(0, 0);
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
        }
        sum.update(new Sum(s.auctions() + 1, s.prices() + w.price()));
    }

    @Override
    public void onTimer(long time, OnTimerContext ctx, Collector<CategoryAverage> out) throws Exception {
        Sum s = sum.value();
        if (s != null) {
            out.collect(new CategoryAverage(ctx.getCurrentKey(), s.auctions(), s.prices() / s.auctions()));
            sum.clear();
        }
    }
}
