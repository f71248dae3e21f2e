package io.sluice.nexmark.model;

/**
 * One Nexmark event: exactly one of {@code person}, {@code auction} and {@code bid} is set. A record of three
 * nullable parts rather than a type hierarchy, so every engine serializes it as a plain record.
 */
public record Event(Person person, Auction auction, Bid bid) {

    /** The kind of an event. */
    public enum Type { PERSON, AUCTION, BID }

    public static Event of(Person p) {
        return new Event(p, null, null);
    }

    public static Event of(Auction a) {
        return new Event(null, a, null);
    }

    public static Event of(Bid b) {
        return new Event(null, null, b);
    }

    public Type type() {
        return person != null ? Type.PERSON : auction != null ? Type.AUCTION : Type.BID;
    }

    /** The event time in epoch milliseconds. */
    public long time() {
        return person != null ? person.dateTime() : auction != null ? auction.dateTime() : bid.dateTime();
    }
}
