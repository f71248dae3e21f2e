package io.sluice.nexmark.model;

/**
 * A bid on an auction (Nexmark): {@code bidder} offers {@code price} cents for auction {@code auction} at
 * {@code dateTime} (epoch milliseconds), through {@code channel}.
 */
public record Bid(long auction, long bidder, long price, String channel, String url, long dateTime, String extra) {}
