package io.sluice.nexmark.results;

/** q8: a person who joined and opened an auction within the same tumbling window ending at {@code windowEnd}. */
public record NewSeller(long windowEnd, long person, String name) {}
