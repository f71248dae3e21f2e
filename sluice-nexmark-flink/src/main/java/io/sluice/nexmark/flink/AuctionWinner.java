package io.sluice.nexmark.flink;

import io.sluice.nexmark.model.Auction;
import io.sluice.nexmark.model.Bid;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * q4's first phase, keyed by auction id: the winning price of each auction. A valid bid is at or above the reserve
 * and made while the auction is open ({@code dateTime <= bid.dateTime < expires}); the winning price is the highest
 * valid one.
 *
 * <p>State per auction: {@link Open} (one value, rewritten only when a bid raises the best price) until the event-time
 * timer at {@code expires - 1}: the watermark has then passed every bid before {@code expires}, so the winner, if any,
 * is emitted and the state cleared. Bids that arrive before their auction (possible at parallelism above 1) wait in a
 * list state; a timer at {@code bid time + maxDisorder} drops them if the auction still is not there (an auction has
 * a lower index than its bids, so by then it has arrived, unless it has already closed).
 */
final class AuctionWinner extends KeyedCoProcessFunction<Long, Auction, Bid, AuctionWinner.Winner> {

    /** An auction's winning price, to be averaged per category. */
    public record Winner(long category, long price) {}

    /** What q4 keeps of an open auction: its category, times, reserve, and the best valid price so far (0: none). */
    public record Open(long category, long dateTime, long expires, long reserve, long best) {
        /** The best price once a bid at {@code time} with {@code price} is taken into account. */
        long bestWith(long price, long time) {
            return price >= reserve && time >= dateTime && time < expires && price > best ? price : best;
        }
    }

    /** A bid waiting for its auction: all q4 needs of it. */
    public record Early(long price, long dateTime) {}

    private final long maxDisorderMillis;
    private transient ValueState<Open> open;
    private transient ListState<Early> early;

    AuctionWinner(long maxDisorderMillis) {
        this.maxDisorderMillis = maxDisorderMillis;
    }

    @Override
    public void open(OpenContext context) {
        open = getRuntimeContext().getState(new ValueStateDescriptor<>("open-auction", Open.class));
        early = getRuntimeContext().getListState(new ListStateDescriptor<>("early-bids", Early.class));
    }

    @Override
    public void processElement1(Auction a, Context ctx, Collector<Winner> out) throws Exception {
        long best = 0;
        Open o = new Open(a.category(), a.dateTime(), a.expires(), a.reserve(), 0);
        for (Early b : early.get()) {
            best = Math.max(best, o.bestWith(b.price(), b.dateTime()));
        }
        early.clear();
        open.update(best == 0 ? o : new Open(a.category(), a.dateTime(), a.expires(), a.reserve(), best));
        ctx.timerService().registerEventTimeTimer(a.expires() - 1);
    }

    @Override
    public void processElement2(Bid b, Context ctx, Collector<Winner> out) throws Exception {
        Open o = open.value();
        if (o != null) {
            long best = o.bestWith(b.price(), b.dateTime());
            if (best != o.best()) {
                open.update(new Open(o.category(), o.dateTime(), o.expires(), o.reserve(), best));
            }
        } else {
            early.add(new Early(b.price(), b.dateTime()));
            ctx.timerService().registerEventTimeTimer(b.dateTime() + maxDisorderMillis);
        }
    }

    @Override
    public void onTimer(long time, OnTimerContext ctx, Collector<Winner> out) throws Exception {
        Open o = open.value();
        if (o == null) {
            early.clear(); // the auction closed before these bids came, or never opens
        } else if (time == o.expires() - 1) {
            if (o.best() > 0) {
                out.collect(new Winner(o.category(), o.best()));
            }
            open.clear();
        }
        // else: a timer of bids that came early; the auction has arrived and taken them
    }
}
