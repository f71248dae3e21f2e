package io.sluice.runtime.hashing;

/**
 * Home slots for the engine's open-addressing tables (power-of-two capacity, linear probing): Fibonacci hashing, the
 * high bits of the hash times 2^32/φ (2^64/φ for {@code long} keys), so hashes that differ in any bits — sequential
 * ids, times, identity hashes — spread over the whole table. Stateless; any thread.
 */
public final class OpenAddressing {
    private OpenAddressing() {}

    /** The home slot of {@code hash} in a table of {@code mask + 1} slots ({@code mask + 1} a power of two, at least 2). */
    public static int home(int hash, int mask) {
        return homeInBits(hash, Integer.bitCount(mask));
    }

    /** The home slot of {@code hash} in a table of {@code 2^bits} slots, {@code 1 <= bits <= 31}. */
    public static int homeInBits(int hash, int bits) {
        return (hash * 0x9E3779B9) >>> (32 - bits);
    }

    /** The home slot of a {@code long} key in a table of {@code mask + 1} slots (a power of two, at least 2). */
    public static int home(long key, int mask) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> (64 - Integer.bitCount(mask)));
    }
}
