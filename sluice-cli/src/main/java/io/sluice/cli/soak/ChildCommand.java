package io.sluice.cli.soak;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of one child JVM of a round: {@code java ... io.sluice.cli.Main run soak-job} with the round's
 * seed and the job options its plan says, resuming with {@code --from-checkpoint latest} after a kill. The child
 * derives the job and its faults from the seed itself. Pure function of its arguments.
 */
final class ChildCommand {
    private ChildCommand() {}

    static List<String> of(SoakPlan plan, Path roundDir, boolean resume) {
        List<String> c = new ArrayList<>();
        c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Small and quick to start: rounds are short, and up to several children run one after another per round.
        // Its own temporary directory inside the round's: RocksDB's JNI library is unpacked there on every start and
        // deleted only at a normal exit, so each killed child would leave 17 MB in the machine's /tmp for good.
        c.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
                "-Djava.io.tmpdir=" + tmpDir(roundDir), "-cp", System.getProperty("java.class.path"), "io.sluice.cli.Main"));
        c.addAll(jobArguments(plan, roundDir, resume));
        return c;
    }

    /** The children's temporary directory (created by the round before its first child starts). */
    static Path tmpDir(Path roundDir) {
        return roundDir.resolve("tmp");
    }

    /** The arguments after the main class: what a person would type after {@code bin/sluice}. */
    static List<String> jobArguments(SoakPlan plan, Path roundDir, boolean resume) {
        List<String> c = new ArrayList<>(List.of("run", "soak-job", "--seed", Long.toString(plan.seed()),
                "--round-dir", roundDir.toString()));
        if (plan.variant().scale() != 1) {
            c.addAll(List.of("--scale", Double.toString(plan.variant().scale())));
        }
        if (plan.variant().breakSink()) {
            c.add("--break-sink");
        }
        c.addAll(List.of("--parallelism", Integer.toString(plan.parallelism()), "--progress-interval", "0",
                "--checkpoint-interval", plan.checkpointMillis() + "ms",
                "--checkpoint-dir", SoakJob.checkpointDir(roundDir).toString(),
                "--checkpoint-retention", Integer.toString(plan.retention()),
                "--state-backend", plan.backend()));
        if (plan.backend().equals("rocksdb")) {
            c.addAll(List.of("--state-option", "rocksdb.incremental=" + plan.incremental(),
                    "--state-option", "rocksdb.memory=16mb",
                    "--state-option", "rocksdb.local-dir=" + roundDir.resolve("rocksdb")));
        }
        if (resume) {
            c.addAll(List.of("--from-checkpoint", "latest"));
        }
        return c;
    }
}
