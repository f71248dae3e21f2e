package io.sluice.nexmark.flink;

import io.sluice.nexmark.model.Bid;
import io.sluice.nexmark.results.HighestBid;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * q7's first phase: per key and window, the bids with the highest price (all tied ones); only a new maximum or a tie
 * makes a new accumulator (the same accumulator as Sluice's {@code TopBids}).
 */
final class TopBids implements AggregateFunction<Bid, TopBids.Top, TopBids.Top> {

    /** What q7 needs of a bid. */
    public record Entry(long auction, long bidder, long dateTime) {}

    /** The highest price so far ({@code -1}: no bid yet) and the bids with it. */
    public record Top(long price, List<Entry> bids) {}

    /** The accumulator's type: a POJO whose list of entries Flink serializes with its own list serializer. */
    static final TypeInformation<Top> TOP = TypeInformation.of(Top.class);

    private static final Top EMPTY = new Top(-1, List.of());

    @Override
    public Top createAccumulator() {
        return EMPTY;
    }

    @Override
    public Top add(Bid b, Top top) {
        if (b.price() < top.price()) {
            return top;
        }
        List<Entry> bids = new ArrayList<>(b.price() == top.price() ? top.bids().size() + 1 : 1);
        if (b.price() == top.price()) {
            bids.addAll(top.bids());
        }
        bids.add(new Entry(b.auction(), b.bidder(), b.dateTime()));
        return new Top(b.price(), bids);
    }

    @Override
    public Top getResult(Top top) {
        return top;
    }

    @Override
    public Top merge(Top a, Top b) {
        if (a.price() != b.price()) {
            return a.price() > b.price() ? a : b;
        }
        List<Entry> bids = new ArrayList<>(a.bids());
        bids.addAll(b.bids());
        return new Top(a.price(), bids);
    }

    /** The window's highest bids as {@link HighestBid}s. */
    static final class Emit extends ProcessWindowFunction<Top, HighestBid, Long, TimeWindow> {
        @Override
        public void process(Long key, Context context, Iterable<Top> tops, Collector<HighestBid> out) {
            long end = context.window().getEnd();
            for (Top top : tops) {
                for (Entry e : top.bids()) {
                    out.collect(new HighestBid(end, e.auction(), e.bidder(), top.price(), e.dateTime()));
                }
            }
        }
    }
}
