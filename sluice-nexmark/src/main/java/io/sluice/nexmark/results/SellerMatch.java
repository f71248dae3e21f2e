package io.sluice.nexmark.results;

/** q3: a person from OR, ID or CA and an auction of category 10 they sell. */
public record SellerMatch(String name, String city, String state, long auction) {}
