package io.sluice.nexmark.queries;

import io.sluice.api.functions.Collector;
import io.sluice.api.functions.KeyedProcessFunction;
import io.sluice.api.functions.RuntimeContext;
import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.Types;
import io.sluice.nexmark.results.CategoryAverage;

/**
 * q4's second phase, keyed by category: how many auctions had a winner and the sum of their winning prices; a timer
 * at {@code Long.MAX_VALUE} (reached when the input ends) emits the count and the average (integer division).
 */
final class CategoryAverager implements KeyedProcessFunction<Long, AuctionWinner.Winner, CategoryAverage> {

    /** Winning auctions of a category so far. */
    record Sum(long auctions, long prices) {}

    private transient ValueState<Sum> sum;

    @Override
    public void open(RuntimeContext context) {
        sum = context.getState(new ValueStateDescriptor<>("category-sum", Types.of(Sum.class)));
    }

    @Override
    public void processElement(AuctionWinner.Winner w, Context<Long> ctx, Collector<CategoryAverage> out) {
        Sum s = sum.value();
        if (s == null) {
            s = new Sum(0, 0);
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
        }
        sum.update(new Sum(s.auctions() + 1, s.prices() + w.price()));
    }

    @Override
    public void onTimer(long time, OnTimerContext<Long> ctx, Collector<CategoryAverage> out) {
        Sum s = sum.value();
        if (s != null) {
            out.collect(new CategoryAverage(ctx.currentKey(), s.auctions(), s.prices() / s.auctions()));
            sum.clear();
        }
    }
}
