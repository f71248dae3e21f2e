package io.sluice.nexmark.model;

/**
 * An item put up for auction (Nexmark): open from {@code dateTime} until {@code expires} (epoch milliseconds),
 * sold by the person {@code seller}, in category {@code category}. Prices are in cents.
 */
public record Auction(long id, String itemName, String description, long initialBid, long reserve, long dateTime,
        long expires, long seller, long category, String extra) {}
