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
import io.sluice.nexmark.model.Person;
import io.sluice.nexmark.results.SellerMatch;
import java.util.List;

/**
 * q3's join, keyed by person id (persons) and seller (auctions); both inputs are already filtered (persons by state,
 * auctions by category). A person is kept for good; an auction whose seller is known matches at once, one whose
 * seller is not known yet waits until the seller arrives or until the watermark passes
 * {@code auction time + maxDisorder}, after which its seller can no longer arrive (see {@link NexmarkQueries}).
 */
final class SellerJoin implements KeyedCoProcessFunction<Long, Person, Auction, SellerMatch> {

    /** What q3 needs of a seller. */
    record Seller(String name, String city, String state) {}

    static final ValueStateDescriptor<Seller> SELLER = new ValueStateDescriptor<>("seller", Types.of(Seller.class));
    static final ListStateDescriptor<Long> WAITING = new ListStateDescriptor<>("waiting-auctions", Types.LONG);

    private final long maxDisorderMillis;
    private transient ValueState<Seller> seller;
    private transient ListState<Long> waiting;

    SellerJoin(long maxDisorderMillis) {
        this.maxDisorderMillis = maxDisorderMillis;
    }

    @Override
    public void open(RuntimeContext context) {
        seller = context.getState(SELLER);
        waiting = context.getState(WAITING);
    }

    @Override
    public void processElement1(Person p, KeyedProcessFunction.Context<Long> ctx, Collector<SellerMatch> out) throws Exception {
        seller.update(new Seller(p.name(), p.city(), p.state()));
        List<Long> auctions = waiting.get();
        if (!auctions.isEmpty()) {
            for (Long auction : auctions) {
                out.collect(new SellerMatch(p.name(), p.city(), p.state(), auction));
            }
            waiting.clear();
        }
    }

    @Override
    public void processElement2(Auction a, KeyedProcessFunction.Context<Long> ctx, Collector<SellerMatch> out) throws Exception {
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
    public void onTimer(long time, KeyedProcessFunction.OnTimerContext<Long> ctx, Collector<SellerMatch> out) throws Exception {
        if (seller.value() == null) {
            waiting.clear();
        }
    }
}
