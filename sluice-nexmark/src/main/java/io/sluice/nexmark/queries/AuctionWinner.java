package io.sluice.nexmark.queries;

import io.sluice.api.functions.Collector;
import io.sluice.api.functions.KeyedCoProcessFunction;
import io.sluice.api.functions.KeyedProcessFunction;
import io.sluice.api.functions.RuntimeContext;
import io.sluice.api.state.ListState;
import io.sluice.api.state.ListStateDescriptor;
import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.Types;
import io.sluice.nexmark.model.Auction;
import io.sluice.nexmark.model.Bid;
import java.util.List;

/**
 * q4's first phase, keyed by auction id: the winning price of each auction. A valid bid is at or above the reserve
 * and made while the auction is open ({@code dateTime <= bid.dateTime < expires}); the winning price is the highest
 * valid one.
 *
 * <p>State per auction: {@link Open} (one value, rewritten only when a bid raises the best price) until the event-time
 * timer at {@code expires - 1}: the watermark has then passed every bid before {@code expires}, so the winner, if any,
 * is emitted and the state cleared. Bids that arrive before their auction (possible at parallelism above 1) wait in a
 * list; a timer at {@code bid time + maxDisorder} drops them if the auction still is not there, which is how bids for
 * an auction that has closed (or never opens) are dropped: by then its auction has arrived unless it was closed
 * (see {@link NexmarkQueries}).
 */
final class AuctionWinner implements KeyedCoProcessFunction<Long, Auction, Bid, AuctionWinner.Winner> {

    /** An auction's winning price, to be averaged per category. */
    public record Winner(long category, long price) {}

    /** What q4 keeps of an open auction: its category, times, reserve, and the best valid price so far (0: none). */
    record Open(long category, long dateTime, long expires, long reserve, long best) {
        /** The price a bid at {@code time} with {@code price} makes the best one, or {@code best} if it does not count. */
        long bestWith(long price, long time) {
            return price >= reserve && time >= dateTime && time < expires && price > best ? price : best;
        }
    }

    /** A bid waiting for its auction: all q4 needs of it. */
    record Early(long price, long dateTime) {}

    static final ValueStateDescriptor<Open> OPEN = new ValueStateDescriptor<>("open-auction", Types.of(Open.class));
    static final ListStateDescriptor<Early> EARLY = new ListStateDescriptor<>("early-bids", Types.of(Early.class));

    private final long maxDisorderMillis;
    private transient ValueState<Open> open;
    private transient ListState<Early> early;

    AuctionWinner(long maxDisorderMillis) {
        this.maxDisorderMillis = maxDisorderMillis;
    }

    @Override
    public void open(RuntimeContext context) {
        open = context.getState(OPEN);
        early = context.getState(EARLY);
    }

    @Override
    public void processElement1(Auction a, KeyedProcessFunction.Context<Long> ctx, Collector<Winner> out) throws Exception {
        Open o = new Open(a.category(), a.dateTime(), a.expires(), a.reserve(), 0);
        List<Early> waiting = early.get();
        if (!waiting.isEmpty()) {
            for (Early b : waiting) {
                long best = o.bestWith(b.price(), b.dateTime());
                o = best == o.best() ? o : new Open(o.category(), o.dateTime(), o.expires(), o.reserve(), best);
            }
            early.clear();
        }
        open.update(o);
        ctx.timerService().registerEventTimeTimer(a.expires() - 1);
    }

    @Override
    public void processElement2(Bid b, KeyedProcessFunction.Context<Long> ctx, Collector<Winner> out) throws Exception {
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
    public void onTimer(long time, KeyedProcessFunction.OnTimerContext<Long> ctx, Collector<Winner> out) throws Exception {
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
