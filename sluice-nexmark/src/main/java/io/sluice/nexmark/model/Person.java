package io.sluice.nexmark.model;

/**
 * A person joining the auction site (Nexmark). {@code dateTime} is the event time in epoch milliseconds.
 */
public record Person(long id, String name, String emailAddress, String creditCard, String city, String state,
        long dateTime, String extra) {}
