package io.sluice.nexmark.results;

/** q7: a bid with the highest price in the tumbling window ending at {@code windowEnd} (exclusive). */
public record HighestBid(long windowEnd, long auction, long bidder, long price, long dateTime) {}
