package io.sluice.cli.soak;

import java.util.HashMap;
import java.util.Map;

/**
 * The oracle: the exact committed output of a round's job, computed by brute force from the seeded input alone (it
 * shares no code with the job but {@link SoakInput}'s definition of the records). For each key with N records and sum
 * S: the lines {@code r <key> <n>} for n = 1..N, {@code f <key> <N> <S>}, and for each event-time bucket holding c of
 * its records with sum s, {@code w <key> <bucket> <c> <s>}; each exactly once. Pure; thread-safe.
 */
final class ExpectedOutput {
    private ExpectedOutput() {}

    /** Each expected line with how many times it must appear (always once). */
    static Map<String, Integer> of(SoakInput input) {
        long[] count = new long[input.keys()];
        long[] sum = new long[input.keys()];
        Map<String, long[]> buckets = new HashMap<>();
        for (int split = 0; split < input.splits(); split++) {
            for (long seq = 0; seq < input.splitLength(split); seq++) {
                long id = input.id(split, seq);
                int key = input.key(id);
                long value = input.value(id);
                count[key]++;
                sum[key] += value;
                long[] b = buckets.computeIfAbsent(key + " " + input.bucket(input.timestamp(id)), k -> new long[2]);
                b[0]++;
                b[1] += value;
            }
        }
        Map<String, Integer> lines = new HashMap<>();
        for (int key = 0; key < input.keys(); key++) {
            for (long n = 1; n <= count[key]; n++) {
                lines.put("r " + key + " " + n, 1);
            }
            if (count[key] > 0) {
                lines.put("f " + key + " " + count[key] + " " + sum[key], 1);
            }
        }
        buckets.forEach((keyAndBucket, b) -> lines.put("w " + keyAndBucket + " " + b[0] + " " + b[1], 1));
        return lines;
    }
}
