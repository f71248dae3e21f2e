package io.sluice.nexmark.results;

/** kc (the keyed count of BENCHMARKS.md): a key's running count of bids, emitted for each of its bids. */
public record KeyCount(long key, long count) {}
