package io.sluice.nexmark.flink;

import io.sluice.nexmark.model.Auction;
import io.sluice.nexmark.model.Person;
import io.sluice.nexmark.results.SellerMatch;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * q3's join, keyed by person id (persons) and seller (auctions); both inputs are already filtered (persons by state,
 * auctions by category). A person is kept for good; an auction whose seller is known matches at once, one whose
 * seller is not known yet waits until the seller arrives or until the watermark passes
 * {@code auction time + maxDisorder}: a seller is a person of a lower index, so its event time is at most that, and
 * a seller that has not arrived by then is not a matching person.
 */
final class SellerJoin extends KeyedCoProcessFunction<Long, Person, Auction, SellerMatch> {

    /** What q3 needs of a seller. */
    public record Seller(String name, String city, String state) {}

    private final long maxDisorderMillis;
    private transient ValueState<Seller> seller;
    private transient ListState<Long> waiting;

    SellerJoin(long maxDisorderMillis) {
        this.maxDisorderMillis = maxDisorderMillis;
    }

    @Override
    public void open(OpenContext context) {
        seller = getRuntimeContext().getState(new ValueStateDescriptor<>("seller", Seller.class));
        waiting = getRuntimeContext().getListState(new ListStateDescriptor<>("waiting-auctions", Types.LONG));
    }

    @Override
    public void processElement1(Person p, Context ctx, Collector<SellerMatch> out) throws Exception {
        seller.update(new Seller(p.name(), p.city(), p.state()));
        for (Long auction : waiting.get()) {
            out.collect(new SellerMatch(p.name(), p.city(), p.state(), auction));
        }
        waiting.clear();
    }

    @Override
    public void processElement2(Auction a, Context ctx, Collector<SellerMatch> out) throws Exception {
        Seller s = seller.value();
        if (s != null) {
            out.collect(new SellerMatch(s.name(), s.city(), s.state(), a.id()));
        } else {
            waiting.add(a.id());
            ctx.timerService().registerEventTimeTimer(a.dateTime() + maxDisorderMillis);
        }
    }

    /** The seller did not arrive in time: it is not a matching person, and the waiting auctions never match. */
    @Override
    public void onTimer(long time, OnTimerContext ctx, Collector<SellerMatch> out) throws Exception {
        if (seller.value() == null) {
            waiting.clear();
        }
    }
}
