package io.sluice.cli.soak;

/**
 * Seeds of a soak run. Round 0 runs with the run's seed itself and each later round with the next seed of the
 * sequence, so {@code --rounds 1 --seed S} replays exactly the round that ran with seed S. Seeds are non-negative (a
 * command line takes them without a sign). Pure functions; thread-safe.
 */
public final class SoakSeeds {
    private SoakSeeds() {}

    /** The SplitMix64 finalizer: a bijection of longs that spreads every input bit over the whole output. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The seed of the round after the one that ran with {@code seed}. */
    public static long next(long seed) {
        return mix(seed + 0x9E3779B97F4A7C15L) & Long.MAX_VALUE;
    }

    /** A fresh non-negative seed for a run started without {@code --seed}. */
    public static long fresh() {
        return mix(System.nanoTime() ^ ProcessHandle.current().pid() << 32 ^ System.currentTimeMillis()) & Long.MAX_VALUE;
    }
}
