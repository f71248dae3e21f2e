package io.sluice.nexmark.results;

/** q4: of the category's closed auctions with a winning bid, how many and their average winning price (cents, integer division). */
public record CategoryAverage(long category, long auctions, long averagePrice) {}
