package io.sluice.cli.soak;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sluice soak}: rounds of the fault-injection job, each with its own seed, configuration and fault plan
 * ({@link SoakPlan}), each checked against an exact oracle ({@link RoundCheck}); ends with {@code N passed, M failed}
 * and, per failure, its seed, what went wrong and the command that replays it. Exit 0 iff no round failed.
 *
 * <p>Runs on the calling thread, one round at a time; the child JVMs ({@link ChildProcesses}) and the hog's threads
 * ({@link CpuHog}) it starts are stopped before {@link #call()} returns, on every path.
 */
@Command(name = "soak", sortOptions = false,
        description = "Runs rounds of a fault-injection job and checks each against an exact oracle: heap and RocksDB "
                + "state (full and incremental checkpoints), checkpoint retention 1-3, parallelism 1-4, failures in "
                + "functions, during snapshots, restores and commits, and SIGKILLed child JVMs resumed from their latest "
                + "checkpoint; each round's configuration and faults drawn from its seed. Ends with 'N passed, M failed' "
                + "and, for each failure, its seed, what went wrong and the command that replays it (bin/sluice soak "
                + "--rounds 1 --seed S). Exit 0 iff no round failed.")
public final class SoakCommand implements Callable<Integer> {
    /** Rounds when neither --rounds nor --minutes is given. */
    static final int DEFAULT_ROUNDS = 10;

    @Spec
    CommandSpec spec;

    @Option(names = "--rounds", paramLabel = "N",
            description = "Run at most N rounds (default: " + DEFAULT_ROUNDS + ", or no limit with --minutes).")
    Integer rounds;

    @Option(names = "--seed", paramLabel = "S",
            description = "The first round's seed, >= 0; later rounds take the next seeds (default: a fresh one).")
    Long seed;

    @Option(names = "--minutes", paramLabel = "M",
            description = "Start no round after M minutes (decimals allowed; the first round always runs); with --rounds, "
                    + "whichever comes first.")
    Double minutes;

    @Option(names = "--hog", description = "Run busy threads beside the rounds, one per core (rounds under CPU pressure).")
    boolean hog;

    @Option(names = "--round-timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "A round taking longer fails and its child JVMs are killed (default: ${DEFAULT-VALUE}).")
    int roundTimeoutSeconds;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Where rounds keep their files (default: a temporary directory). Files of passed rounds are "
                    + "deleted, those of failed rounds kept.")
    Path workDir;

    @Option(names = "--scale", hidden = true, defaultValue = "1", description = "Internal (tests): input size factor.")
    double scale;

    @Option(names = "--break-sink", hidden = true,
            description = "Internal (tests): the sink drops the lines of one key, so every round fails.")
    boolean breakSink;

    @Override
    public Integer call() throws Exception {
        int maxRounds = validatedRounds();
        SoakVariant variant;
        try {
            variant = new SoakVariant(scale, breakSink);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--scale: " + e.getMessage());
        }
        long firstSeed = seed != null ? seed : SoakSeeds.fresh();
        Duration timeout = Duration.ofSeconds(roundTimeoutSeconds);
        boolean tempDir = workDir == null;
        Path work = tempDir ? Files.createTempDirectory("sluice-soak") : Files.createDirectories(workDir);
        PrintStream out = System.out;
        SoakSummary summary = new SoakSummary((hog ? " --hog" : "") + variant.options());
        long start = System.nanoTime();
        int cores = Runtime.getRuntime().availableProcessors();
        out.println("soak: seed " + firstSeed + ", " + (maxRounds == Integer.MAX_VALUE ? "rounds until time is up"
                : "up to " + maxRounds + " round" + (maxRounds == 1 ? "" : "s"))
                + (minutes != null ? ", starting none after " + minutes + " min" : "")
                + (hog ? ", beside a CPU hog of " + cores + " busy threads" : "") + "; files in " + work);
        try (ChildProcesses children = new ChildProcesses();
                CpuHog cpuHog = hog ? CpuHog.start(cores, worstCaseDuration(maxRounds, timeout)) : null) {
            RoundRunner runner = new RoundRunner(children, timeout, RoundCheck.standard());
            long roundSeed = firstSeed;
            for (int i = 0; i < maxRounds && (i == 0 || !timeIsUp(start)); i++) { // the first round always runs
                SoakPlan plan = SoakPlan.fromSeed(roundSeed, variant);
                RoundResult result = runner.run(i, plan, work.resolve("round-" + (i + 1) + "-seed-" + roundSeed));
                summary.add(result);
                out.println(summary.roundLine(result, maxRounds == Integer.MAX_VALUE ? 0 : maxRounds));
                if (result.passed()) {
                    deleteTree(result.roundDir());
                } else {
                    out.println("  " + result.problem().orElseThrow());
                    out.println("  replay: " + summary.replayCommand(roundSeed));
                }
                roundSeed = SoakSeeds.next(roundSeed);
            }
        }
        if (tempDir && summary.failed() == 0) {
            deleteTree(work);
        }
        summary.closingLines((System.nanoTime() - start) / 1_000_000, firstSeed).forEach(out::println);
        return summary.failed() == 0 ? 0 : 1;
    }

    /** The round limit after checking the options (a bad value is a bad command line). */
    private int validatedRounds() {
        if (rounds != null && rounds < 1) {
            throw new ParameterException(spec.commandLine(), "--rounds must be at least 1, was " + rounds);
        }
        if (minutes != null && !(minutes > 0)) {
            throw new ParameterException(spec.commandLine(), "--minutes must be positive, was " + minutes);
        }
        if (seed != null && seed < 0) {
            throw new ParameterException(spec.commandLine(), "--seed must not be negative, was " + seed);
        }
        if (roundTimeoutSeconds < 1) {
            throw new ParameterException(spec.commandLine(), "--round-timeout must be at least 1 s, was " + roundTimeoutSeconds);
        }
        return rounds != null ? rounds : minutes != null ? Integer.MAX_VALUE : DEFAULT_ROUNDS;
    }

    private boolean timeIsUp(long startNanos) {
        return minutes != null && System.nanoTime() - startNanos >= (long) (minutes * 60e9);
    }

    /** The longest the rounds can take: the hog stops by then even if it is never closed. */
    private Duration worstCaseDuration(int maxRounds, Duration timeout) {
        Duration perRound = timeout.plusSeconds(30); // a timed-out round's kills and checks
        Duration byCount = maxRounds == Integer.MAX_VALUE ? Duration.ofDays(365) : perRound.multipliedBy(maxRounds);
        Duration byTime = minutes == null ? byCount : Duration.ofSeconds((long) (minutes * 60)).plus(perRound);
        return byCount.compareTo(byTime) < 0 ? byCount : byTime;
    }

    /** Deletes {@code dir} and everything below it, if it exists. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
