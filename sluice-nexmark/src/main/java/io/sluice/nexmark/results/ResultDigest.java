package io.sluice.nexmark.results;

import io.sluice.nexmark.model.Bid;

/**
 * An order-independent digest of a query's results, the same in every engine and on every JVM: the sum (wrapping) of
 * a hash of each result computed from its fields by specified means ({@link Long#hashCode(long)},
 * {@link String#hashCode()}), never {@code Object.hashCode}. Two result streams with equal counts and digests are
 * taken as equal in throughput runs; the correctness check compares the results themselves.
 */
public final class ResultDigest {
    private ResultDigest() {}

    /** The hash of one result. */
    public static long of(Object result) {
        return switch (result) {
            case Bid b -> mix(mix(mix(mix(mix(b.auction(), b.bidder()), b.price()), b.channel().hashCode()),
                    b.url().hashCode()), b.dateTime());
            case AuctionPrice r -> mix(r.auction(), r.price());
            case SellerMatch r -> mix(mix(mix(r.name().hashCode(), r.city().hashCode()), r.state().hashCode()), r.auction());
            case CategoryAverage r -> mix(mix(r.category(), r.auctions()), r.averagePrice());
            case HotItem r -> mix(mix(r.windowEnd(), r.auction()), r.bids());
            case HighestBid r -> mix(mix(mix(mix(r.windowEnd(), r.auction()), r.bidder()), r.price()), r.dateTime());
            case NewSeller r -> mix(mix(r.windowEnd(), r.person()), r.name().hashCode());
            case BidderSession r -> mix(mix(mix(r.bidder(), r.start()), r.end()), r.bids());
            case KeyCount r -> mix(r.key(), r.count());
            default -> throw new IllegalArgumentException("not a Nexmark result: " + result.getClass().getName());
        };
    }

    private static long mix(long h, long v) {
        long z = (h * 0x9E3779B97F4A7C15L) ^ v;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
