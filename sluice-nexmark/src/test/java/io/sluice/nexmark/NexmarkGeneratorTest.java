package io.sluice.nexmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.nexmark.generator.NexmarkConfig;
import io.sluice.nexmark.generator.NexmarkGenerator;
import io.sluice.nexmark.model.Event;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The generator's contract: deterministic per index, 1:3:46, ids, references to existing ids, bounded disorder. */
class NexmarkGeneratorTest {

    @Test
    void anEventDependsOnlyOnSeedAndIndex() {
        NexmarkConfig config = NexmarkConfig.of(10_000);
        NexmarkGenerator a = new NexmarkGenerator(config);
        NexmarkGenerator b = new NexmarkGenerator(config);
        for (long i = 9_999; i >= 0; i -= 7) { // any order
            assertEquals(a.event(i), b.event(i), "event " + i);
        }
        assertNotEquals(a.event(5), new NexmarkGenerator(config.withSeed(2)).event(5), "another seed, another event");
    }

    @Test
    void proportionsIdsReferencesAndDisorderHold() {
        long n = 100_000;
        NexmarkConfig config = NexmarkConfig.of(n);
        NexmarkGenerator g = new NexmarkGenerator(config);
        Map<Event.Type, Long> counts = new EnumMap<>(Event.Type.class);
        Set<Long> persons = new HashSet<>();
        Set<Long> auctions = new HashSet<>();
        long nextPerson = NexmarkGenerator.FIRST_PERSON_ID;
        long nextAuction = NexmarkGenerator.FIRST_AUCTION_ID;
        for (long i = 0; i < n; i++) {
            Event e = g.event(i);
            counts.merge(e.type(), 1L, Long::sum);
            long ordered = config.firstEventTime() + i * 1000 / config.eventsPerSecond();
            assertTrue(e.time() <= ordered && e.time() >= ordered - config.maxDisorderMillis(), "time of event " + i);
            switch (e.type()) {
                case PERSON -> {
                    assertEquals(nextPerson++, e.person().id(), "person ids in order");
                    persons.add(e.person().id());
                }
                case AUCTION -> {
                    assertEquals(nextAuction++, e.auction().id(), "auction ids in order");
                    assertTrue(persons.contains(e.auction().seller()), "seller exists: event " + i);
                    assertTrue(e.auction().expires() > e.auction().dateTime(), "expires after it opens");
                    long c = e.auction().category();
                    assertTrue(c >= 10 && c < 15, "category " + c);
                    auctions.add(e.auction().id());
                }
                case BID -> {
                    assertTrue(auctions.contains(e.bid().auction()), "bid on an existing auction: event " + i);
                    assertTrue(persons.contains(e.bid().bidder()), "bidder exists: event " + i);
                    assertTrue(e.bid().price() >= 100, "price " + e.bid().price());
                }
            }
        }
        assertEquals(n / 50, counts.get(Event.Type.PERSON));
        assertEquals(n / 50 * 3, counts.get(Event.Type.AUCTION));
        assertEquals(n / 50 * 46, counts.get(Event.Type.BID));
    }
}
