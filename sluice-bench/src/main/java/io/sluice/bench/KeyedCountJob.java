package io.sluice.bench;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.types.Types;

/**
 * The keyed count of BENCHMARKS.md as a job's main: {@code N} numbers, keyed by {@code x mod KEYS}, a running count
 * per key, the counts dropped. Its keyBy sends each record to the subtask owning its key: on two workers about half of
 * them cross to the other worker. {@code run io.sluice.bench.KeyedCountJob --jar sluice-bench.jar N KEYS}.
 */
public final class KeyedCountJob {
    private KeyedCountJob() {}

    public static void main(String[] args) throws Exception {
        long records = Long.parseLong(args[0]);
        long keys = Long.parseLong(args[1]);
        StreamEnvironment env = StreamEnvironment.create();
        env.generateSequence(1, records)
                .map(x -> x % keys * 1_000_000_000L + 1, Types.LONG)
                .keyBy(v -> v / 1_000_000_000L, Types.LONG)
                .reduce((a, b) -> a + 1)
                .sinkTo(new io.sluice.api.sink.DiscardingSink<>());
        var result = env.execute("keyed count");
        // The line a cluster's client prints too (there this main runs on the coordinator, its output in the log).
        System.out.printf(java.util.Locale.ROOT, "Job 'keyed count' finished in %.2f s%n", result.duration().toNanos() / 1e9);
    }
}
