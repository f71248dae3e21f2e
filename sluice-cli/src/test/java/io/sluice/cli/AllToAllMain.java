package io.sluice.cli;

import io.sluice.api.StreamEnvironment;
import io.sluice.connectors.file.TextFileSink;

/**
 * An all-to-all keyBy at one parallelism for every operator, as a job's main: the numbers {@code 1..N} keyed by
 * {@code n % KEYS}, a running count per key, written as lines {@code key * 1_000_000 + count}:
 * {@code run io.sluice.cli.AllToAllMain PARALLELISM N OUTPUT}. Its environment is the launcher's, so on a cluster it
 * runs there.
 */
public final class AllToAllMain {
    /** The keys: more than any parallelism here, so every consumer gets some. */
    static final long KEYS = 997;
    /** The factor that puts the key above the count in one Long. */
    static final long KEY_FACTOR = 1_000_000;

    private AllToAllMain() {}

    public static void main(String[] args) throws Exception {
        int parallelism = Integer.parseInt(args[0]);
        long n = Long.parseLong(args[1]);
        StreamEnvironment env = StreamEnvironment.create().setParallelism(parallelism);
        env.generateSequence(1, n)
                .map(x -> (x % KEYS) * KEY_FACTOR + 1)
                .keyBy(v -> v / KEY_FACTOR)
                .reduce((count, one) -> count + one % KEY_FACTOR) // same key: the count goes up by one
                .sinkTo(new TextFileSink<Long>(args[2]));
        env.execute("all-to-all-" + parallelism);
    }
}
