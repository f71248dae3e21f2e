package io.sluice.nexmark.generator;

import java.io.Serializable;

/**
 * What the Nexmark generator produces: how many events, from which seed, and how event time advances. Immutable.
 *
 * @param events            the number of events (indices {@code 0..events-1}); {@link Long#MAX_VALUE}: unbounded
 * @param seed              the seed: the same seed and index always give the same event
 * @param firstEventTime    event time of event 0, epoch milliseconds
 * @param eventsPerSecond   event-time rate: event {@code i} happens at {@code firstEventTime + i * 1000 / eventsPerSecond}
 *                          before disorder (not a processing-time rate: the generator runs as fast as it is read)
 * @param maxDisorderMillis each event's time is moved back by up to this much (uniformly), so events are out of order
 *                          by at most this bound: a watermark strategy with this out-of-orderness drops nothing
 */
public record NexmarkConfig(long events, long seed, long firstEventTime, long eventsPerSecond, long maxDisorderMillis)
        implements Serializable {

    /** 1 person, 3 auctions and 46 bids in every 50 events. */
    public static final int PROPORTION_TOTAL = 50;
    public static final int PERSONS_PER_EPOCH = 1;
    public static final int AUCTIONS_PER_EPOCH = 3;

    public NexmarkConfig {
        if (events < 0) {
            throw new IllegalArgumentException("events must not be negative, was " + events);
        }
        if (eventsPerSecond < 1) {
            throw new IllegalArgumentException("eventsPerSecond must be positive, was " + eventsPerSecond);
        }
        if (maxDisorderMillis < 0) {
            throw new IllegalArgumentException("maxDisorderMillis must not be negative, was " + maxDisorderMillis);
        }
    }

    /** {@code events} events from seed 1 at 10,000 events per event-time second, out of order by up to 500 ms. */
    public static NexmarkConfig of(long events) {
        return new NexmarkConfig(events, 1, 1_700_000_000_000L, 10_000, 500);
    }

    public NexmarkConfig withSeed(long value) {
        return new NexmarkConfig(events, value, firstEventTime, eventsPerSecond, maxDisorderMillis);
    }

    public NexmarkConfig withEventsPerSecond(long value) {
        return new NexmarkConfig(events, seed, firstEventTime, value, maxDisorderMillis);
    }

    public NexmarkConfig withMaxDisorderMillis(long value) {
        return new NexmarkConfig(events, seed, firstEventTime, eventsPerSecond, value);
    }
}
