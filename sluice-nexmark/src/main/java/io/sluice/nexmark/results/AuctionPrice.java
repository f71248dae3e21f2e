package io.sluice.nexmark.results;

/** q2: a bid's auction and price. */
public record AuctionPrice(long auction, long price) {}
