package io.sluice.cli.soak;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * The configuration and fault plan of one soak round, all drawn from the round's seed: the same seed and variant
 * always give the same plan (what a replay relies on). The timing of a run is not part of it: where checkpoints fall
 * between the faults differs from run to run.
 *
 * @param backend            {@code heap} or {@code rocksdb}
 * @param incremental        RocksDB only: incremental checkpoints ({@code rocksdb.incremental})
 * @param retention          completed checkpoints kept, 1–3
 * @param parallelism        of every operator, 1–4
 * @param checkpointMillis   the checkpoint interval, 20–100 ms
 * @param restartDelayMillis the fixed delay of the job's restart strategy after a failure
 * @param watermarkMillis    the periodic watermark interval (timers fire during the run, not only at its end)
 * @param faults             in-process faults, each fired once
 * @param kills              process kills, in order; the run after the last one runs to the end
 */
public record SoakPlan(long seed, SoakVariant variant, String backend, boolean incremental, int retention, int parallelism,
        int checkpointMillis, int restartDelayMillis, int watermarkMillis, SoakInput input, List<Fault> faults,
        List<Kill> kills) {

    public SoakPlan {
        faults = List.copyOf(faults);
        kills = List.copyOf(kills);
    }

    /** The plan of the round with seed {@code seed} (non-negative). */
    public static SoakPlan fromSeed(long seed, SoakVariant variant) {
        if (seed < 0) {
            throw new IllegalArgumentException("seed must not be negative, was " + seed);
        }
        Random random = new Random(seed);
        // RocksDB more often than heap: its incremental restore chains are where state was lost.
        boolean rocksdb = random.nextInt(5) < 3;
        boolean incremental = rocksdb && random.nextInt(4) != 0;
        int retention = 1 + random.nextInt(3);
        int parallelism = 1 + random.nextInt(4);
        int checkpointMillis = 20 + random.nextInt(81);
        int restartDelayMillis = 5 + random.nextInt(46);
        int watermarkMillis = 10 + random.nextInt(41);
        int splits = 1 + random.nextInt(6); // independent of parallelism: readers with several splits, or none
        int keys = 20 + random.nextInt(381);
        int baseRecords = 8_000 + random.nextInt(22_001);
        double seconds = 0.7 + random.nextInt(1_101) / 1000.0; // the standard input's duration without failures
        double rate = baseRecords / seconds; // the same for every scale: a scaled input lasts scale times as long
        int recordsPerSplit = (int) Math.max(20, Math.round(variant.scale() * baseRecords) / splits);
        int bucketMillis = Math.max(1, recordsPerSplit / (5 + random.nextInt(36))); // 5–40 buckets of event time
        
        int failures = 2 + random.nextInt(4);
        // A third of the rounds run in several child JVMs killed at seeded moments; kills count as failures.
        int killCount = random.nextInt(3) == 0 ? 1 + random.nextInt(Math.min(3, failures)) : 0;
        List<Kill> kills = new ArrayList<>();
        for (int i = 0; i < killCount; i++) {
            kills.add(random.nextBoolean()
                    ? new Kill(false, 300 + random.nextInt(1_500))
                    : new Kill(true, random.nextInt(3) == 0 ? random.nextInt(200) : 0));
        }
        FaultKind[] kinds = FaultKind.values();
        List<FaultKind> byProgress = Arrays.stream(kinds).filter(FaultKind::armedByProgress).toList();
        List<Fault> faults = new ArrayList<>();
        for (int i = 0; i < failures - killCount; i++) {
            // A restore fault needs an earlier failure to restore from: without a kill, the first fault is never one.
            FaultKind kind = i == 0 && killCount == 0 ? byProgress.get(random.nextInt(byProgress.size()))
                    : kinds[random.nextInt(kinds.length)];
            long atSeq = kind.armedByProgress() ? (long) (recordsPerSplit * (0.05 + 0.9 * random.nextDouble())) : 0;
            faults.add(new Fault(i, kind, atSeq));
        }
        // Drawn last, so that adding it left the rest of every seed's plan as it was.
        boolean unevenSplits = splits > 1 && random.nextBoolean();
        SoakInput input = new SoakInput(seed, splits, recordsPerSplit, unevenSplits, keys, bucketMillis, rate);
        return new SoakPlan(seed, variant, rocksdb ? "rocksdb" : "heap", incremental, retention, parallelism,
                checkpointMillis, restartDelayMillis, watermarkMillis, input, faults, kills);
    }

    /** How many failures the plan injects (faults and kills). */
    public int failures() {
        return faults.size() + kills.size();
    }

    @Override
    public String toString() {
        return "seed " + seed + ": " + backend + (backend.equals("rocksdb") ? incremental ? " incremental" : " full" : "")
                + ", retain " + retention + ", parallelism " + parallelism + ", " + input.splits()
                + (input.unevenSplits() ? " uneven splits of up to " : " splits x ") + input.recordsPerSplit()
                + " records at " + Math.round(input.recordsPerSecond()) + "/s, "
                + input.keys() + " keys, buckets of " + input.bucketMillis() + " ms, checkpoints every " + checkpointMillis
                + " ms, restart delay " + restartDelayMillis + " ms, watermarks every " + watermarkMillis + " ms; faults: "
                + (faults.isEmpty() ? "none" : faults.stream().map(Fault::toString).collect(Collectors.joining(", ")))
                + "; kills: " + (kills.isEmpty() ? "none" : kills.stream().map(Kill::toString).collect(Collectors.joining(", ")))
                + (variant.breakSink() ? "; BROKEN SINK (drops key " + input.key(0) + ")" : "");
    }
}
