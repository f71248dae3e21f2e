package io.sluice.nexmark.results;

/** q5: an auction with the most bids in the sliding window ending at {@code windowEnd} (exclusive), and that count. */
public record HotItem(long windowEnd, long auction, long bids) {}
