package io.sluice.nexmark.queries;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.functions.Collector;
import io.sluice.api.functions.KeyedCoProcessFunction;
import io.sluice.api.functions.KeyedProcessFunction;
import io.sluice.api.functions.RuntimeContext;
import io.sluice.api.types.Types;
import io.sluice.nexmark.model.Auction;
import io.sluice.nexmark.model.Bid;
import io.sluice.nexmark.model.Person;
import io.sluice.nexmark.results.SellerMatch;
import io.sluice.testing.KeyedProcessFunctionHarness;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * q3's and q4's joins keep only what they must: per key state is cleared by their timers (on the runtime's keyed
 * operator, through the test harness; the two inputs are fed through one adapter).
 */
class JoinStateCleanupTest {
    private static final long DISORDER = 500;

    /** Runs a keyed co-process function as a one-input keyed function: {@code first}-typed records are input 1. */
    static final class CoAdapter<A, B, O> implements KeyedProcessFunction<Long, Object, O> {
        private final KeyedCoProcessFunction<Long, A, B, O> function;
        private final Class<A> first;

        CoAdapter(KeyedCoProcessFunction<Long, A, B, O> function, Class<A> first) {
            this.function = function;
            this.first = first;
        }

        @Override
        public void open(RuntimeContext context) throws Exception {
            function.open(context);
        }

        @Override
        @SuppressWarnings("unchecked")
        public void processElement(Object value, Context<Long> ctx, Collector<O> out) throws Exception {
            if (first.isInstance(value)) {
                function.processElement1(first.cast(value), ctx, out);
            } else {
                function.processElement2((B) value, ctx, out);
            }
        }

        @Override
        public void onTimer(long time, OnTimerContext<Long> ctx, Collector<O> out) throws Exception {
            function.onTimer(time, ctx, out);
        }
    }

    private static Auction auction(long id, long seller, long category, long reserve, long dateTime, long expires) {
        return new Auction(id, "lamp", "a fine lamp", 1, reserve, dateTime, expires, seller, category, "");
    }

    private static Bid bid(long auction, long price, long dateTime) {
        return new Bid(auction, 7, price, "Apple", "https://x", dateTime, "");
    }

    @Test
    void q4KeepsAnAuctionUntilItExpiresAndDropsBidsNoAuctionWillTake() throws Exception {
        var harness = new KeyedProcessFunctionHarness<Long, Object, AuctionWinner.Winner>(
                v -> v instanceof Auction a ? a.id() : ((Bid) v).auction(), Types.LONG,
                new CoAdapter<>(new AuctionWinner(DISORDER), Auction.class));
        harness.processElement(auction(1000, 1, 10, 100, 1_000, 5_000), 1_000);
        harness.processElement(bid(1000, 150, 2_000), 2_000);
        harness.processElement(bid(1000, 90, 2_100), 2_100);   // below the reserve
        harness.processElement(bid(1000, 170, 900), 900);      // before the auction opened
        harness.processElement(bid(1000, 200, 5_000), 5_000); // at expiry: too late
        harness.processElement(bid(2000, 300, 4_000), 4_000);  // before its auction arrives
        assertEquals(1, harness.state(2000L, AuctionWinner.EARLY).get().size(), "an early bid waits");
        harness.processElement(auction(2000, 1, 11, 100, 3_900, 9_000), 3_900);
        assertTrue(harness.state(2000L, AuctionWinner.EARLY).get().isEmpty(), "the auction took its early bid");
        assertEquals(300, harness.state(2000L, AuctionWinner.OPEN).value().best());

        harness.processWatermark(4_998);
        assertTrue(harness.outputValues().isEmpty());
        assertEquals(150, harness.state(1000L, AuctionWinner.OPEN).value().best());
        harness.processWatermark(4_999); // expires - 1: every bid before expiry has arrived
        assertEquals(List.of(new AuctionWinner.Winner(10, 150)), harness.outputValues());
        assertNull(harness.state(1000L, AuctionWinner.OPEN).value(), "a closed auction's state is gone");

        harness.processElement(bid(1000, 500, 5_200), 5_200); // for the closed auction
        harness.processElement(bid(3000, 500, 5_300), 5_300); // for an auction that never comes
        assertEquals(1, harness.state(1000L, AuctionWinner.EARLY).get().size());
        harness.processWatermark(5_200 + DISORDER - 1);
        assertEquals(1, harness.state(1000L, AuctionWinner.EARLY).get().size(), "kept until its auction could still come");
        harness.processWatermark(5_300 + DISORDER);
        assertTrue(harness.state(1000L, AuctionWinner.EARLY).get().isEmpty(), "dropped: the auction closed");
        assertTrue(harness.state(3000L, AuctionWinner.EARLY).get().isEmpty(), "dropped: no such auction");
        assertNull(harness.state(1000L, AuctionWinner.OPEN).value());
        assertEquals(1, harness.outputValues().size(), "no winner from dropped bids");

        harness.processWatermark(8_999);
        assertEquals(new AuctionWinner.Winner(11, 300), harness.outputValues().get(1));
        assertNull(harness.state(2000L, AuctionWinner.OPEN).value());
        harness.close();
    }

    @Test
    void q3KeepsPersonsAndDropsAuctionsWhoseSellerDoesNotCome() throws Exception {
        var harness = new KeyedProcessFunctionHarness<Long, Object, SellerMatch>(
                v -> v instanceof Person p ? p.id() : ((Auction) v).seller(), Types.LONG,
                new CoAdapter<>(new SellerJoin(DISORDER), Person.class));
        Person ann = new Person(1000, "Ann Smith", "a@x", "1", "Boise", "ID", 1_000, "");
        Person bob = new Person(1001, "Bob Jones", "b@x", "2", "Bend", "OR", 1_100, "");
        harness.processElement(ann, 1_000);
        harness.processElement(auction(5000, 1000, 10, 1, 1_050, 9_000), 1_050);
        assertEquals(List.of(new SellerMatch("Ann Smith", "Boise", "ID", 5000)), harness.outputValues());

        harness.processElement(auction(5001, 1001, 10, 1, 1_060, 9_000), 1_060); // before its seller
        assertEquals(List.of(5001L), harness.state(1001L, SellerJoin.WAITING).get());
        harness.processElement(bob, 1_100);
        assertEquals(new SellerMatch("Bob Jones", "Bend", "OR", 5001), harness.outputValues().get(1));
        assertTrue(harness.state(1001L, SellerJoin.WAITING).get().isEmpty());

        harness.processElement(auction(5002, 1002, 10, 1, 1_200, 9_000), 1_200); // a seller from elsewhere
        harness.processWatermark(1_200 + DISORDER - 1);
        assertEquals(List.of(5002L), harness.state(1002L, SellerJoin.WAITING).get());
        harness.processWatermark(1_200 + DISORDER);
        assertTrue(harness.state(1002L, SellerJoin.WAITING).get().isEmpty(), "its seller can no longer come");
        assertEquals("Ann Smith", harness.state(1000L, SellerJoin.SELLER).value().name(), "persons are kept");
        assertEquals(2, harness.outputValues().size());
        harness.close();
    }
}
