package io.sluice.nexmark.results;

/**
 * q11: a session of one bidder's bids (gap 10 s): from its first bid's time to its last bid's time plus the gap
 * (exclusive), with the number of bids.
 */
public record BidderSession(long bidder, long start, long end, long bids) {}
