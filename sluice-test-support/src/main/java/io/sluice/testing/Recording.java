package io.sluice.testing;

/**
 * What the ledger learns about the records of one transaction of a verified sink, written as the fields of its
 * pre-commit line. Task thread only (the one of the sink's writer).
 */
interface Recording {

    /** A record with tag {@code tag} went into the open transaction. */
    void add(Tag tag);

    /** Whether nothing was added since the last {@link #drainInto}. */
    boolean isEmpty();

    /** The kind letter of the ledger line: {@code T} for tags, {@code W} for a witness's positions. */
    char kind();

    /** Appends the fields ({@code \t}-led) describing the open transaction, and starts the next one. */
    void drainInto(StringBuilder line);
}
