package io.sluice.nexmark.queries;

import io.sluice.api.DataStream;
import io.sluice.api.StreamEnvironment;
import io.sluice.api.eventtime.WatermarkStrategy;
import io.sluice.api.functions.AggregateFunction;
import io.sluice.api.functions.Collector;
import io.sluice.api.functions.FlatMapFunction;
import io.sluice.api.types.Types;
import io.sluice.api.windowing.ProcessWindowFunction;
import io.sluice.api.windowing.TimeWindow;
import io.sluice.api.windowing.assigners.EventTimeSessionWindows;
import io.sluice.api.windowing.assigners.SlidingEventTimeWindows;
import io.sluice.api.windowing.assigners.TumblingEventTimeWindows;
import io.sluice.nexmark.generator.NexmarkConfig;
import io.sluice.nexmark.model.Auction;
import io.sluice.nexmark.model.Bid;
import io.sluice.nexmark.model.Event;
import io.sluice.nexmark.model.Person;
import io.sluice.nexmark.results.AuctionPrice;
import io.sluice.nexmark.results.BidderSession;
import io.sluice.nexmark.results.CategoryAverage;
import io.sluice.nexmark.results.HighestBid;
import io.sluice.nexmark.results.HotItem;
import io.sluice.nexmark.results.KeyCount;
import io.sluice.nexmark.results.NewSeller;
import io.sluice.nexmark.results.SellerMatch;
import io.sluice.nexmark.run.Query;
import io.sluice.nexmark.source.NexmarkSource;
import java.time.Duration;
import java.util.Set;

/**
 * The Nexmark queries written with Sluice's public API ({@code io.sluice.api}), each producing exactly the results
 * {@code docs/nexmark.md} defines. Every method takes the event stream of {@link #source} (event time = the events'
 * times, watermarks trailing by the generator's maximum disorder, so no event is late) and returns the query's
 * result stream; add a sink and execute.
 *
 * <p>Stateful operators have uids ({@code q5-counts}, ...), so a job restores its state by them. What stays in state
 * is described per query; everything windowed or timed is dropped when the watermark passes it.
 *
 * <p>q3 and q4 rely on one property of the generator for their cleanup timers: an event only names persons and
 * auctions of lower indices, so a named person's or auction's event time is at most {@code maxDisorderMillis} after
 * the naming event's time. Once the watermark passes that, the named event has arrived, or never will.
 */
public final class NexmarkQueries {
    /** q5, q7, q8: window size. */
    public static final Duration WINDOW = Duration.ofSeconds(10);
    /** q5: window slide. */
    public static final Duration SLIDE = Duration.ofSeconds(2);
    /** q11: session gap. */
    public static final Duration SESSION_GAP = Duration.ofSeconds(10);
    /** q2: bids on auctions whose id is a multiple of this. */
    public static final long Q2_AUCTION_MODULUS = 123;
    /** q3: the sellers' states and the auctions' category. */
    public static final Set<String> Q3_STATES = Set.of("OR", "ID", "CA");
    public static final long Q3_CATEGORY = 10;
    /** q7: the first phase's keys (auction id modulo this): a fixed number of partial maxima per window. */
    public static final long Q7_BUCKETS = 64;
    /** kc: the keys (auction id modulo this), as BENCHMARKS.md's keyed count with 1 M keys. */
    public static final long KC_KEYS = 1_000_000;

    private final long maxDisorderMillis;

    /** Queries over events out of order by at most {@code maxDisorderMillis} (for q3's and q4's cleanup timers). */
    public NexmarkQueries(long maxDisorderMillis) {
        if (maxDisorderMillis < 0) {
            throw new IllegalArgumentException("maxDisorderMillis must not be negative, was " + maxDisorderMillis);
        }
        this.maxDisorderMillis = maxDisorderMillis;
    }

    /** Queries over the events of {@code config}. */
    public static NexmarkQueries of(NexmarkConfig config) {
        return new NexmarkQueries(config.maxDisorderMillis());
    }

    /**
     * The generated events of {@code config}: a {@link NexmarkSource} (uid {@code nexmark-source}) with each event's
     * time as its timestamp and per-split watermarks bounded by the configuration's maximum disorder.
     */
    public static DataStream<Event> source(StreamEnvironment env, NexmarkConfig config) {
        return env.fromSource(new NexmarkSource(config),
                WatermarkStrategy.<Event>forBoundedOutOfOrderness(Duration.ofMillis(config.maxDisorderMillis())), "Nexmark")
                .uid("nexmark-source");
    }

    /** The results of {@code query} over {@code events}. */
    public DataStream<?> query(Query query, DataStream<Event> events) {
        return switch (query) {
            case Q0 -> q0(events);
            case Q1 -> q1(events);
            case Q2 -> q2(events);
            case Q3 -> q3(events);
            case Q4 -> q4(events);
            case Q5 -> q5(events);
            case Q7 -> q7(events);
            case Q8 -> q8(events);
            case Q11 -> q11(events);
            case KC -> kc(events);
        };
    }

    /** The bids among the events (a chained flatMap: no state). */
    public static DataStream<Bid> bids(DataStream<Event> events) {
        return events.flatMap(new BidsOnly(), Types.of(Bid.class)).name("Bids");
    }

    /** q0, pass-through: every bid, unchanged. Stateless. */
    public DataStream<Bid> q0(DataStream<Event> events) {
        return bids(events);
    }

    /**
     * q1, currency conversion: every bid with {@code price = Math.round(price * 0.908)}, other fields unchanged.
     * Stateless: one flatMap, chained to the source.
     */
    public DataStream<Bid> q1(DataStream<Event> events) {
        return events.flatMap(new ToEuros(), Types.of(Bid.class)).name("Q1 euros");
    }

    /** q2, selection: {@code (auction, price)} of the bids with {@code auction % 123 == 0}. Stateless, one flatMap. */
    public DataStream<AuctionPrice> q2(DataStream<Event> events) {
        return events.flatMap(new SelectAuctions(), Types.of(AuctionPrice.class)).name("Q2 select");
    }

    /**
     * q3, local item suggestion: for each auction of category 10 whose seller is a person from OR, ID or CA, one
     * {@link SellerMatch}, whichever of the two arrives first. Persons (filtered by state) and auctions (filtered by
     * category) are connected, keyed by person id and seller ({@link SellerJoin}, uid {@code q3-join}).
     *
     * <p>State per person key: the person's name, city and state, kept for good (an unwindowed join: any later
     * auction may name the person), so it grows with the matching persons (one per 100 events); auctions that arrive
     * before their seller wait in a list, dropped by an event-time timer at {@code auction time + maxDisorder} (by
     * then the seller has arrived unless it is not a matching person), so auctions of other sellers never pile up.
     */
    public DataStream<SellerMatch> q3(DataStream<Event> events) {
        DataStream<Person> persons = events.flatMap(new PersonsIn(), Types.of(Person.class)).name("Q3 persons");
        DataStream<Auction> auctions = events.flatMap(new AuctionsOf(), Types.of(Auction.class)).name("Q3 auctions");
        return persons.connect(auctions).keyBy(Person::id, Auction::seller)
                .process(new SellerJoin(maxDisorderMillis), Types.of(SellerMatch.class))
                .name("Q3 join").uid("q3-join");
    }

    /**
     * q4, average closing price per category. Auctions and bids are connected, keyed by auction id
     * ({@link AuctionWinner}, uid {@code q4-winners}): the auction's category, times, reserve and highest valid bid so
     * far are kept until an event-time timer at {@code expires - 1} (all bids before {@code expires} have arrived
     * then) emits the winning price, if any, and clears them. Bids that arrive before their auction wait in a list;
     * bids for an auction that is closed (or never comes) are dropped by a timer at {@code bid time + maxDisorder}.
     * Winning prices are then summed per category (uid {@code q4-averages}; two numbers per category) and the
     * average is emitted by a timer at {@code Long.MAX_VALUE}, i.e. when the input ends.
     */
    public DataStream<CategoryAverage> q4(DataStream<Event> events) {
        DataStream<Auction> auctions = events.flatMap(new AllAuctions(), Types.of(Auction.class)).name("Q4 auctions");
        DataStream<Bid> bids = bids(events);
        return auctions.connect(bids).keyBy(Auction::id, Bid::auction)
                .process(new AuctionWinner(maxDisorderMillis), Types.of(AuctionWinner.Winner.class))
                .name("Q4 winning bids").uid("q4-winners")
                .keyBy(AuctionWinner.Winner::category)
                .process(new CategoryAverager(), Types.of(CategoryAverage.class))
                .name("Q4 averages").uid("q4-averages");
    }

    /**
     * q5, hot items: per sliding window (10 s, every 2 s), the auction(s) with the most bids. Bids are counted per
     * auction and window by a window aggregate (uid {@code q5-counts}; one count per auction and window, dropped when
     * the window fires), then the counts of each window meet, keyed by window end, in {@link MaxPerWindow} (uid
     * {@code q5-hottest}), which keeps the leading count and its auctions until a timer at the window's end emits
     * them.
     */
    public DataStream<HotItem> q5(DataStream<Event> events) {
        return bids(events).keyBy(Bid::auction)
                .window(SlidingEventTimeWindows.of(WINDOW, SLIDE))
                .aggregate(new CountBids(), new AuctionCount(), Types.of(HotItem.class))
                .name("Q5 bids per auction").uid("q5-counts")
                .keyBy(HotItem::windowEnd)
                .process(new MaxPerWindow.MostBids(), Types.of(HotItem.class))
                .name("Q5 hottest").uid("q5-hottest");
    }

    /**
     * kc, the keyed count of BENCHMARKS.md: each bid keyed by {@code auction % 1,000,000}, and per key a running count
     * of its bids, emitted with every bid (a running reduce, uid {@code kc-count}: one count per key in keyed state).
     * No windows or timers: the cost is the keyed exchange and the state lookup.
     */
    public DataStream<KeyCount> kc(DataStream<Event> events) {
        return events.flatMap(new KeyedOnes(), Types.of(KeyCount.class)).name("KC keys")
                .keyBy(KeyCount::key)
                .reduce((a, b) -> new KeyCount(a.key(), a.count() + b.count()))
                .name("KC count").uid("kc-count");
    }

    /** kc's input: a count of one for each bid, under its key. */
    static final class KeyedOnes implements FlatMapFunction<Event, KeyCount> {
        @Override
        public void flatMap(Event e, Collector<KeyCount> out) {
            Bid b = e.bid();
            if (b != null) {
                out.collect(new KeyCount(b.auction() % KC_KEYS, 1));
            }
        }
    }

    /**
     * q7, highest bid: per tumbling 10 s window, the bid(s) with the highest price. Two phases, so the work spreads
     * over subtasks: bids are keyed by {@code auction % 64} (a fixed number of buckets: 64 partial maxima per window,
     * whatever the number of auctions) and a window aggregate keeps each bucket's highest bids ({@link TopBids}, uid
     * {@code q7-top-per-bucket}); then per window {@link MaxPerWindow} (uid {@code q7-top}) keeps the highest of those
     * until a timer at the window's end emits them.
     */
    public DataStream<HighestBid> q7(DataStream<Event> events) {
        return bids(events).keyBy(b -> b.auction() % Q7_BUCKETS)
                .window(TumblingEventTimeWindows.of(WINDOW))
                .aggregate(new TopBids(), new TopBids.Emit(), Types.of(HighestBid.class))
                .name("Q7 top per bucket").uid("q7-top-per-bucket")
                .keyBy(HighestBid::windowEnd)
                .process(new MaxPerWindow.HighestPrice(), Types.of(HighestBid.class))
                .name("Q7 top").uid("q7-top");
    }

    /**
     * q8, monitor new users: per tumbling 10 s window, the persons who joined in it and sold an auction opened in it.
     * Persons (by id) and auctions (by seller) go into one keyed stream of {@link PersonOrSale}s and a window
     * aggregate joins them (uid {@code q8-window}): per person and window, the person's name if they joined and
     * whether they sold, dropped when the window fires.
     */
    public DataStream<NewSeller> q8(DataStream<Event> events) {
        return events.flatMap(new PersonsAndSales(), Types.of(PersonOrSale.class)).name("Q8 persons and sales")
                .keyBy(PersonOrSale::person)
                .window(TumblingEventTimeWindows.of(WINDOW))
                .aggregate(new JoinedAndSold(), new NewSellerOf(), Types.of(NewSeller.class))
                .name("Q8 new sellers").uid("q8-window");
    }

    /**
     * q11, user sessions: per bidder, session windows with a 10 s gap, with their bid counts. A merging window
     * aggregate keyed by bidder (uid {@code q11-sessions}; one count per open session, dropped when it fires).
     */
    public DataStream<BidderSession> q11(DataStream<Event> events) {
        return bids(events).keyBy(Bid::bidder)
                .window(EventTimeSessionWindows.withGap(SESSION_GAP))
                .aggregate(new CountBids(), new SessionOf(), Types.of(BidderSession.class))
                .name("Q11 sessions").uid("q11-sessions");
    }

    // ---- stateless functions ----

    /** Bids only. */
    static final class BidsOnly implements FlatMapFunction<Event, Bid> {
        @Override
        public void flatMap(Event e, Collector<Bid> out) {
            Bid b = e.bid();
            if (b != null) {
                out.collect(b);
            }
        }
    }

    /** q1: bids with the price in euros. */
    static final class ToEuros implements FlatMapFunction<Event, Bid> {
        @Override
        public void flatMap(Event e, Collector<Bid> out) {
            Bid b = e.bid();
            if (b != null) {
                out.collect(new Bid(b.auction(), b.bidder(), Math.round(b.price() * 0.908), b.channel(), b.url(),
                        b.dateTime(), b.extra()));
            }
        }
    }

    /** q2: auction and price of bids on every 123rd auction. */
    static final class SelectAuctions implements FlatMapFunction<Event, AuctionPrice> {
        @Override
        public void flatMap(Event e, Collector<AuctionPrice> out) {
            Bid b = e.bid();
            if (b != null && b.auction() % Q2_AUCTION_MODULUS == 0) {
                out.collect(new AuctionPrice(b.auction(), b.price()));
            }
        }
    }

    /** q3: persons from OR, ID or CA. */
    static final class PersonsIn implements FlatMapFunction<Event, Person> {
        @Override
        public void flatMap(Event e, Collector<Person> out) {
            Person p = e.person();
            if (p != null && Q3_STATES.contains(p.state())) {
                out.collect(p);
            }
        }
    }

    /** q3: auctions of category 10. */
    static final class AuctionsOf implements FlatMapFunction<Event, Auction> {
        @Override
        public void flatMap(Event e, Collector<Auction> out) {
            Auction a = e.auction();
            if (a != null && a.category() == Q3_CATEGORY) {
                out.collect(a);
            }
        }
    }

    /** q4: all auctions. */
    static final class AllAuctions implements FlatMapFunction<Event, Auction> {
        @Override
        public void flatMap(Event e, Collector<Auction> out) {
            Auction a = e.auction();
            if (a != null) {
                out.collect(a);
            }
        }
    }

    // ---- q5, q11: counting ----

    /** Counts records (q5: bids per auction and window; q11: bids per session, merged when sessions merge). */
    static final class CountBids implements AggregateFunction<Bid, Long, Long> {
        @Override
        public Long createAccumulator() {
            return 0L;
        }

        @Override
        public Long add(Bid value, Long count) {
            return count + 1;
        }

        @Override
        public Long getResult(Long count) {
            return count;
        }

        @Override
        public Long merge(Long a, Long b) {
            return a + b;
        }
    }

    /** q5: an auction's bid count in a window. */
    static final class AuctionCount implements ProcessWindowFunction<Long, HotItem, Long, TimeWindow> {
        @Override
        public void process(Long auction, Context<TimeWindow> context, Iterable<Long> counts, Collector<HotItem> out) {
            for (Long count : counts) {
                out.collect(new HotItem(context.window().end(), auction, count));
            }
        }
    }

    /** q11: a bidder's session. */
    static final class SessionOf implements ProcessWindowFunction<Long, BidderSession, Long, TimeWindow> {
        @Override
        public void process(Long bidder, Context<TimeWindow> context, Iterable<Long> counts, Collector<BidderSession> out) {
            TimeWindow w = context.window();
            for (Long count : counts) {
                out.collect(new BidderSession(bidder, w.start(), w.end(), count));
            }
        }
    }

    // ---- q8: window join of persons and sales ----

    /**
     * q8's input: a person joining ({@code name} set) or an auction opened by seller {@code person} ({@code name}
     * null), keyed by {@code person}.
     */
    public record PersonOrSale(long person, String name) {}

    /** Persons and auctions as {@link PersonOrSale}s. */
    static final class PersonsAndSales implements FlatMapFunction<Event, PersonOrSale> {
        @Override
        public void flatMap(Event e, Collector<PersonOrSale> out) {
            if (e.person() != null) {
                out.collect(new PersonOrSale(e.person().id(), e.person().name()));
            } else if (e.auction() != null) {
                out.collect(new PersonOrSale(e.auction().seller(), null));
            }
        }
    }

    /** q8's accumulator per person and window: the name if the person joined in it, and whether they sold in it. */
    public record Joined(String name, boolean sold) {
        static final Joined NOTHING = new Joined(null, false);
    }

    /** q8: a person's joining and selling in a window. */
    static final class JoinedAndSold implements AggregateFunction<PersonOrSale, Joined, Joined> {
        @Override
        public Joined createAccumulator() {
            return Joined.NOTHING;
        }

        @Override
        public Joined add(PersonOrSale value, Joined acc) {
            if (value.name() != null) {
                return new Joined(value.name(), acc.sold());
            }
            return acc.sold() ? acc : new Joined(acc.name(), true);
        }

        @Override
        public Joined getResult(Joined acc) {
            return acc;
        }

        @Override
        public Joined merge(Joined a, Joined b) {
            return new Joined(a.name() != null ? a.name() : b.name(), a.sold() || b.sold());
        }
    }

    /** q8: a person who joined and sold in the window. */
    static final class NewSellerOf implements ProcessWindowFunction<Joined, NewSeller, Long, TimeWindow> {
        @Override
        public void process(Long person, Context<TimeWindow> context, Iterable<Joined> elements, Collector<NewSeller> out) {
            for (Joined j : elements) {
                if (j.name() != null && j.sold()) {
                    out.collect(new NewSeller(context.window().end(), person, j.name()));
                }
            }
        }
    }
}
