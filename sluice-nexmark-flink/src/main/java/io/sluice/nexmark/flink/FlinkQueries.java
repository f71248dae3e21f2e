package io.sluice.nexmark.flink;

import io.sluice.nexmark.generator.NexmarkConfig;
import io.sluice.nexmark.model.Auction;
import io.sluice.nexmark.model.Bid;
import io.sluice.nexmark.model.Event;
import io.sluice.nexmark.model.Person;
import io.sluice.nexmark.results.AuctionPrice;
import io.sluice.nexmark.results.KeyCount;
import io.sluice.nexmark.results.BidderSession;
import io.sluice.nexmark.results.CategoryAverage;
import io.sluice.nexmark.results.HighestBid;
import io.sluice.nexmark.results.HotItem;
import io.sluice.nexmark.results.NewSeller;
import io.sluice.nexmark.results.SellerMatch;
import io.sluice.nexmark.run.Query;
import java.time.Duration;
import java.util.Set;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.EventTimeSessionWindows;
import org.apache.flink.streaming.api.windowing.assigners.SlidingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * The Nexmark queries with Apache Flink's DataStream API, producing exactly the results of {@code docs/nexmark.md}.
 * Each method takes the event stream of {@link #source} (timestamps = event times, watermarks trailing by the
 * generator's maximum disorder, so nothing is late) and returns the query's results.
 *
 * <p>The plans are the ones a Flink user writes for these queries, and deliberately the same shape as Sluice's
 * {@code io.sluice.nexmark.queries.NexmarkQueries} (same operators, keys, state and timers), so the comparison
 * measures the engines, not two algorithms: stateless queries are one flatMap chained to the source; windows are
 * {@link AggregateFunction}s with a {@link ProcessWindowFunction} for the window's end; joins are
 * {@code KeyedCoProcessFunction}s with keyed state and event-time timers; "the maximum per window" is a keyed window
 * aggregate followed by a {@code KeyedProcessFunction} keyed by window end ({@link MaxPerWindow}). Records
 * (results, model, the functions' own state) are Flink POJOs (Flink analyses Java records as POJOs since 1.19).
 *
 * <p>Stateful operators have uids like Sluice's ({@code q5-counts}, ...).
 */
public final class FlinkQueries {
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

    static final TypeInformation<Event> EVENT = TypeInformation.of(Event.class);
    static final TypeInformation<Person> PERSON = TypeInformation.of(Person.class);
    static final TypeInformation<Auction> AUCTION = TypeInformation.of(Auction.class);
    static final TypeInformation<Bid> BID = TypeInformation.of(Bid.class);

    private final long maxDisorderMillis;

    /** Queries over events out of order by at most {@code maxDisorderMillis} (for q3's and q4's cleanup timers). */
    public FlinkQueries(long maxDisorderMillis) {
        if (maxDisorderMillis < 0) {
            throw new IllegalArgumentException("maxDisorderMillis must not be negative, was " + maxDisorderMillis);
        }
        this.maxDisorderMillis = maxDisorderMillis;
    }

    public static FlinkQueries of(NexmarkConfig config) {
        return new FlinkQueries(config.maxDisorderMillis());
    }

    /** The generated events of {@code config} ({@link FlinkNexmarkSource}, uid {@code nexmark-source}). */
    public static DataStream<Event> source(StreamExecutionEnvironment env, NexmarkConfig config) {
        return env.fromSource(FlinkNexmarkSource.create(config), FlinkNexmarkSource.watermarks(config), "Nexmark", EVENT)
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

    /** The bids among the events: one flatMap, chained to the source. */
    public static DataStream<Bid> bids(DataStream<Event> events) {
        return events.flatMap(new BidsOnly(), BID).name("Bids");
    }

    /** q0, pass-through: every bid, unchanged. */
    public DataStream<Bid> q0(DataStream<Event> events) {
        return bids(events);
    }

    /** q1, currency conversion: every bid with {@code price = Math.round(price * 0.908)}. */
    public DataStream<Bid> q1(DataStream<Event> events) {
        return events.flatMap(new ToEuros(), BID).name("Q1 euros");
    }

    /** q2, selection: {@code (auction, price)} of the bids with {@code auction % 123 == 0}. */
    public DataStream<AuctionPrice> q2(DataStream<Event> events) {
        return events.flatMap(new SelectAuctions(), TypeInformation.of(AuctionPrice.class)).name("Q2 select");
    }

    /**
     * q3, local item suggestion: persons of OR, ID, CA connected with auctions of category 10, keyed by person id and
     * seller ({@link SellerJoin}, uid {@code q3-join}): the person is kept for good, auctions before their seller wait
     * until a timer at {@code auction time + maxDisorder}.
     */
    public DataStream<SellerMatch> q3(DataStream<Event> events) {
        DataStream<Person> persons = events.flatMap(new PersonsIn(), PERSON).name("Q3 persons");
        DataStream<Auction> auctions = events.flatMap(new AuctionsOf(), AUCTION).name("Q3 auctions");
        return persons.connect(auctions).keyBy(Person::id, Auction::seller, Types.LONG)
                .process(new SellerJoin(maxDisorderMillis), TypeInformation.of(SellerMatch.class))
                .name("Q3 join").uid("q3-join");
    }

    /**
     * q4, average closing price per category: auctions connected with bids, keyed by auction id
     * ({@link AuctionWinner}, uid {@code q4-winners}; a timer at {@code expires - 1} emits the winning price), then
     * per category a sum and count ({@link CategoryAverager}, uid {@code q4-averages}) emitted by a timer at
     * {@code Long.MAX_VALUE}, i.e. when the input ends.
     */
    public DataStream<CategoryAverage> q4(DataStream<Event> events) {
        DataStream<Auction> auctions = events.flatMap(new AllAuctions(), AUCTION).name("Q4 auctions");
        DataStream<Bid> bids = bids(events);
        return auctions.connect(bids).keyBy(Auction::id, Bid::auction, Types.LONG)
                .process(new AuctionWinner(maxDisorderMillis), TypeInformation.of(AuctionWinner.Winner.class))
                .name("Q4 winning bids").uid("q4-winners")
                .keyBy(AuctionWinner.Winner::category, Types.LONG)
                .process(new CategoryAverager(), TypeInformation.of(CategoryAverage.class))
                .name("Q4 averages").uid("q4-averages");
    }

    /**
     * q5, hot items: bids counted per auction in sliding windows (10 s every 2 s; {@code q5-counts}), then per window
     * end the auction(s) with the most ({@link MaxPerWindow.MostBids}, uid {@code q5-hottest}).
     */
    public DataStream<HotItem> q5(DataStream<Event> events) {
        TypeInformation<HotItem> hotItem = TypeInformation.of(HotItem.class);
        return bids(events).keyBy(Bid::auction, Types.LONG)
                .window(SlidingEventTimeWindows.of(WINDOW, SLIDE))
                .aggregate(new CountBids(), new AuctionCount(), Types.LONG, Types.LONG, hotItem)
                .name("Q5 bids per auction").uid("q5-counts")
                .keyBy(HotItem::windowEnd, Types.LONG)
                .process(new MaxPerWindow.MostBids(), hotItem)
                .name("Q5 hottest").uid("q5-hottest");
    }

    /**
     * q7, highest bid: per bucket of auctions ({@code auction % 64}, as on the Sluice side) and tumbling 10 s window
     * the highest bids ({@link TopBids}, uid {@code q7-top-per-bucket}), then per window end the highest of those ({@link MaxPerWindow.HighestPrice}, uid
     * {@code q7-top}). Two phases, so the work spreads over the subtasks (a {@code windowAll} would run at
     * parallelism 1).
     */
    public DataStream<HighestBid> q7(DataStream<Event> events) {
        TypeInformation<HighestBid> highestBid = TypeInformation.of(HighestBid.class);
        return bids(events).keyBy(new AuctionBucket(), Types.LONG)
                .window(TumblingEventTimeWindows.of(WINDOW))
                .aggregate(new TopBids(), new TopBids.Emit(), TopBids.TOP, TopBids.TOP, highestBid)
                .name("Q7 top per bucket").uid("q7-top-per-bucket")
                .keyBy(HighestBid::windowEnd, Types.LONG)
                .process(new MaxPerWindow.HighestPrice(), highestBid)
                .name("Q7 top").uid("q7-top");
    }

    /**
     * q8, monitor new users: persons (by id) and auctions (by seller) as one keyed stream of {@link PersonOrSale}s in
     * tumbling 10 s windows; a window aggregate keeps per person and window the name (if they joined) and whether
     * they sold (uid {@code q8-window}). This is Flink's window join with the pairs folded as they come: a
     * {@code coGroup(...).window(...)} would keep every person and auction of the window in a list until it fires and
     * does not give the function its window.
     */
    public DataStream<NewSeller> q8(DataStream<Event> events) {
        return events.flatMap(new PersonsAndSales(), TypeInformation.of(PersonOrSale.class)).name("Q8 persons and sales")
                .keyBy(PersonOrSale::person, Types.LONG)
                .window(TumblingEventTimeWindows.of(WINDOW))
                .aggregate(new JoinedAndSold(), new NewSellerOf(), TypeInformation.of(Joined.class),
                        TypeInformation.of(Joined.class), TypeInformation.of(NewSeller.class))
                .name("Q8 new sellers").uid("q8-window");
    }

    /** q11, user sessions: bids per bidder in session windows with a 10 s gap, counted (uid {@code q11-sessions}). */
    public DataStream<BidderSession> q11(DataStream<Event> events) {
        return bids(events).keyBy(Bid::bidder, Types.LONG)
                .window(EventTimeSessionWindows.withGap(SESSION_GAP))
                .aggregate(new CountBids(), new SessionOf(), Types.LONG, Types.LONG, TypeInformation.of(BidderSession.class))
                .name("Q11 sessions").uid("q11-sessions");
    }

    // ---- stateless functions ----

    /**
     * kc, the keyed count: each bid keyed by {@code auction % 1,000,000}, a running count per key emitted with every
     * bid (a keyed reduce, uid {@code kc-count}), as on the Sluice side.
     */
    public DataStream<KeyCount> kc(DataStream<Event> events) {
        return events.flatMap(new KeyedOnes(), TypeInformation.of(KeyCount.class)).name("KC keys")
                .keyBy(KeyCount::key)
                .reduce(new AddCounts())
                .name("KC count").uid("kc-count");
    }

    static final class KeyedOnes implements FlatMapFunction<Event, KeyCount> {
        @Override
        public void flatMap(Event e, Collector<KeyCount> out) {
            Bid b = e.bid();
            if (b != null) {
                out.collect(new KeyCount(b.auction() % io.sluice.nexmark.queries.NexmarkQueries.KC_KEYS, 1));
            }
        }
    }

    static final class AddCounts implements org.apache.flink.api.common.functions.ReduceFunction<KeyCount> {
        @Override
        public KeyCount reduce(KeyCount a, KeyCount b) {
            return new KeyCount(a.key(), a.count() + b.count());
        }
    }

    static final class BidsOnly implements FlatMapFunction<Event, Bid> {
        @Override
        public void flatMap(Event e, Collector<Bid> out) {
            Bid b = e.bid();
            if (b != null) {
                out.collect(b);
            }
        }
    }

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

    static final class SelectAuctions implements FlatMapFunction<Event, AuctionPrice> {
        @Override
        public void flatMap(Event e, Collector<AuctionPrice> out) {
            Bid b = e.bid();
            if (b != null && b.auction() % Q2_AUCTION_MODULUS == 0) {
                out.collect(new AuctionPrice(b.auction(), b.price()));
            }
        }
    }

    static final class PersonsIn implements FlatMapFunction<Event, Person> {
        @Override
        public void flatMap(Event e, Collector<Person> out) {
            Person p = e.person();
            if (p != null && Q3_STATES.contains(p.state())) {
                out.collect(p);
            }
        }
    }

    static final class AuctionsOf implements FlatMapFunction<Event, Auction> {
        @Override
        public void flatMap(Event e, Collector<Auction> out) {
            Auction a = e.auction();
            if (a != null && a.category() == Q3_CATEGORY) {
                out.collect(a);
            }
        }
    }

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

    /** Counts bids (q5: per auction and window; q11: per session, merged when sessions merge). */
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
    static final class AuctionCount extends ProcessWindowFunction<Long, HotItem, Long, TimeWindow> {
        @Override
        public void process(Long auction, Context context, Iterable<Long> counts, Collector<HotItem> out) {
            for (Long count : counts) {
                out.collect(new HotItem(context.window().getEnd(), auction, count));
            }
        }
    }

    /** q11: a bidder's session: Flink's session window is {@code [first bid, last bid + gap)}. */
    static final class SessionOf extends ProcessWindowFunction<Long, BidderSession, Long, TimeWindow> {
        @Override
        public void process(Long bidder, Context context, Iterable<Long> counts, Collector<BidderSession> out) {
            TimeWindow w = context.window();
            for (Long count : counts) {
                out.collect(new BidderSession(bidder, w.getStart(), w.getEnd(), count));
            }
        }
    }

    // ---- q8: window join of persons and sales ----

    /** q8's input: a person joining ({@code name} set) or an auction sold by {@code person} ({@code name} null). */
    public record PersonOrSale(long person, String name) {}

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

    static final class NewSellerOf extends ProcessWindowFunction<Joined, NewSeller, Long, TimeWindow> {
        @Override
        public void process(Long person, Context context, Iterable<Joined> elements, Collector<NewSeller> out) {
            for (Joined j : elements) {
                if (j.name() != null && j.sold()) {
                    out.collect(new NewSeller(context.window().getEnd(), person, j.name()));
                }
            }
        }
    }

    /** q7's first-phase key: the auction id modulo {@link io.sluice.nexmark.queries.NexmarkQueries#Q7_BUCKETS}, as on the Sluice side. */
    static final class AuctionBucket implements org.apache.flink.api.java.functions.KeySelector<Bid, Long> {
        @Override
        public Long getKey(Bid bid) {
            return bid.auction() % io.sluice.nexmark.queries.NexmarkQueries.Q7_BUCKETS;
        }
    }
}
