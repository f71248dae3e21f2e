package io.sluice.nexmark.generator;

import io.sluice.nexmark.model.Auction;
import io.sluice.nexmark.model.Bid;
import io.sluice.nexmark.model.Event;
import io.sluice.nexmark.model.Person;

/**
 * The deterministic Nexmark event generator, shared by every engine and the plain-loop baselines: event {@code i}
 * depends only on the configuration and {@code i}, so parallel readers may generate any subset of indices (a split is
 * a stride of indices) and a restored reader continues from an index.
 *
 * <p>In every 50 events: 1 person, then 3 auctions, then 46 bids. Persons and auctions are numbered from 1000 in index
 * order. An auction's seller is a recent person (often one of a few "hot" sellers); a bid names a recent auction
 * (often a hot one) and a recent person. Auctions run for 2 to 20 event-time seconds. Event time advances with the
 * index at {@link NexmarkConfig#eventsPerSecond()} and each event is moved back by up to
 * {@link NexmarkConfig#maxDisorderMillis()}.
 *
 * <p>Threading: not thread-safe (it reuses its random state); one generator per reader.
 */
public final class NexmarkGenerator {
    public static final long FIRST_PERSON_ID = 1000;
    public static final long FIRST_AUCTION_ID = 1000;
    public static final long FIRST_CATEGORY_ID = 10;
    public static final int CATEGORIES = 5;
    /** How many of the newest persons and auctions new events refer to. */
    private static final int ACTIVE_PERSONS = 1000;
    private static final int IN_FLIGHT_AUCTIONS = 100;
    /** One in this many references goes to a random recent id; the rest to a hot one. */
    private static final int HOT_AUCTION_RATIO = 2;
    private static final int HOT_BIDDER_RATIO = 4;
    private static final int HOT_SELLER_RATIO = 4;

    private static final String[] FIRST_NAMES = {"Peter", "Paul", "Luke", "John", "Saul", "Vicky", "Kate", "Julie",
            "Sarah", "Deiter", "Walter"};
    private static final String[] LAST_NAMES = {"Shultz", "Abrams", "Spencer", "White", "Bartels", "Walton", "Smith",
            "Jones", "Noris"};
    private static final String[] STATES = {"AZ", "CA", "ID", "OR", "WA", "WY"};
    private static final String[] CITIES = {"Phoenix", "Los Angeles", "San Francisco", "Boise", "Portland", "Bend",
            "Redmond", "Seattle", "Kent", "Cheyenne"};
    private static final String[] CHANNELS = {"Google", "Facebook", "Baidu", "Apple"};
    /** Each channel's bid URL, built once (building it per bid took a third of the generator's time). */
    private static final String[] CHANNEL_URLS = new String[CHANNELS.length];

    static {
        for (int i = 0; i < CHANNELS.length; i++) {
            CHANNEL_URLS[i] = "https://www.nexmark.com/" + CHANNELS[i].toLowerCase(java.util.Locale.ROOT) + "/item.htm?query=1";
        }
    }
    private static final String[] ITEMS = {"chair", "lamp", "bike", "clock", "table", "vase", "rug", "phone", "watch",
            "kettle"};

    private final NexmarkConfig config;
    /** SplitMix64 state, reset from the seed and index for every event. */
    private long random;

    public NexmarkGenerator(NexmarkConfig config) {
        this.config = config;
    }

    public NexmarkConfig config() {
        return config;
    }

    /** The kind of event {@code index}. */
    public static Event.Type typeOf(long index) {
        long offset = index % NexmarkConfig.PROPORTION_TOTAL;
        return offset < NexmarkConfig.PERSONS_PER_EPOCH ? Event.Type.PERSON
                : offset < NexmarkConfig.PERSONS_PER_EPOCH + NexmarkConfig.AUCTIONS_PER_EPOCH ? Event.Type.AUCTION
                : Event.Type.BID;
    }

    /** Event {@code index} (0-based). */
    public Event event(long index) {
        if (index < 0 || index >= config.events()) {
            throw new IndexOutOfBoundsException("event " + index + " of " + config.events());
        }
        random = mix(config.seed() * 0x9E3779B97F4A7C15L + index);
        long time = eventTime(index);
        return switch (typeOf(index)) {
            case PERSON -> Event.of(person(index, time));
            case AUCTION -> Event.of(auction(index, time));
            case BID -> Event.of(bid(index, time));
        };
    }

    /** Event {@code index}'s time: its place in the event-time sequence, moved back by the disorder. */
    private long eventTime(long index) {
        long ordered = config.firstEventTime() + index * 1000 / config.eventsPerSecond();
        return config.maxDisorderMillis() == 0 ? ordered : ordered - nextInt((int) config.maxDisorderMillis() + 1);
    }

    private Person person(long index, long time) {
        long id = lastPersonId(index);
        String name = FIRST_NAMES[nextInt(FIRST_NAMES.length)] + " " + LAST_NAMES[nextInt(LAST_NAMES.length)];
        String email = "p" + id + "@" + ITEMS[nextInt(ITEMS.length)] + ".com";
        String card = (1000 + nextInt(9000)) + " " + (1000 + nextInt(9000)) + " " + (1000 + nextInt(9000)) + " "
                + (1000 + nextInt(9000));
        int place = nextInt(CITIES.length);
        return new Person(id, name, email, card, CITIES[place], STATES[nextInt(STATES.length)], time, "");
    }

    private Auction auction(long index, long time) {
        long epoch = index / NexmarkConfig.PROPORTION_TOTAL;
        long offset = index % NexmarkConfig.PROPORTION_TOTAL - NexmarkConfig.PERSONS_PER_EPOCH;
        long id = FIRST_AUCTION_ID + epoch * NexmarkConfig.AUCTIONS_PER_EPOCH + offset;
        long seller = nextInt(HOT_SELLER_RATIO) > 0 ? hot(lastPersonId(index), HOT_SELLER_RATIO, FIRST_PERSON_ID)
                : recent(lastPersonId(index), ACTIVE_PERSONS, FIRST_PERSON_ID);
        long initialBid = price();
        long reserve = initialBid + price();
        long expires = time + 2_000 + nextInt(18_001);
        long category = FIRST_CATEGORY_ID + nextInt(CATEGORIES);
        String item = ITEMS[nextInt(ITEMS.length)];
        return new Auction(id, item, "a fine " + item, initialBid, reserve, time, expires, seller, category, "");
    }

    private Bid bid(long index, long time) {
        long lastAuction = lastAuctionId(index);
        long auction = nextInt(HOT_AUCTION_RATIO) > 0 ? hot(lastAuction, HOT_AUCTION_RATIO, FIRST_AUCTION_ID)
                : recent(lastAuction, IN_FLIGHT_AUCTIONS, FIRST_AUCTION_ID);
        long bidder = nextInt(HOT_BIDDER_RATIO) > 0 ? hot(lastPersonId(index), HOT_BIDDER_RATIO, FIRST_PERSON_ID)
                : recent(lastPersonId(index), ACTIVE_PERSONS, FIRST_PERSON_ID);
        int channel = nextInt(CHANNELS.length);
        return new Bid(auction, bidder, price(), CHANNELS[channel], CHANNEL_URLS[channel], time, "");
    }

    /** The newest person at {@code index}: each epoch's person comes first in it. */
    private static long lastPersonId(long index) {
        return FIRST_PERSON_ID + index / NexmarkConfig.PROPORTION_TOTAL;
    }

    /** The newest auction at {@code index} (a bid's epoch has all its auctions; before any, the first one). */
    private static long lastAuctionId(long index) {
        long epoch = index / NexmarkConfig.PROPORTION_TOTAL;
        long offset = index % NexmarkConfig.PROPORTION_TOTAL;
        long inEpoch = Math.min(offset, NexmarkConfig.PERSONS_PER_EPOCH + NexmarkConfig.AUCTIONS_PER_EPOCH)
                - NexmarkConfig.PERSONS_PER_EPOCH;
        return Math.max(FIRST_AUCTION_ID, FIRST_AUCTION_ID + epoch * NexmarkConfig.AUCTIONS_PER_EPOCH + inEpoch - 1);
    }

    /** A "hot" id: {@code last} rounded down to a multiple of {@code ratio}, not below {@code first}. */
    private static long hot(long last, int ratio, long first) {
        return Math.max(first, last / ratio * ratio);
    }

    /** One of the {@code window} newest ids up to {@code last}. */
    private long recent(long last, int window, long first) {
        long lowest = Math.max(first, last - window + 1);
        return lowest + nextInt((int) (last - lowest + 1));
    }

    /** A price in cents, log-uniform between 1 and 1,000,000 dollars. */
    private long price() {
        return Math.round(Math.pow(10.0, nextDouble() * 6.0) * 100.0);
    }

    private int nextInt(int bound) {
        return (int) ((nextLong() >>> 33) % bound);
    }

    private double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    private long nextLong() {
        random += 0x9E3779B97F4A7C15L;
        return mix(random);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
