package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sluice.connectors.file.TransactionalFileSink;
import io.sluice.runtime.checkpoint.storage.FileSystemCheckpointStorage;
import io.sluice.testing.ExactlyOnceVerifier;
import io.sluice.testing.Tag;
import io.sluice.testing.Tagged;
import io.sluice.testing.VerificationReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * RELIABILITY.md scenario 2: the {@code counts} job runs in a child JVM ({@code io.sluice.cli.Main run counts ...}),
 * is killed with SIGKILL ({@link Process#destroyForcibly()}) at seeded random moments several times, and is resumed
 * each time with {@code --from-checkpoint latest} (or started afresh while no checkpoint has completed yet); the last
 * run finishes. The committed output then equals the oracle exactly: for each word seen N times the lines
 * {@code word<TAB>n}, n = 1..N, each once (so every word's sequence steps by exactly 1), and no in-progress file is
 * left.
 *
 * <p>The same kills and resumes of a user job checked by an {@link ExactlyOnceVerifier} ({@link VerifiedLinesJob}): its
 * ledger, written by processes of which all but the last were killed, and the committed files must hold every input
 * line exactly once.
 *
 * <p>Kills fall only while input remains: the source is rate-limited, and the kill delays are bounded so that the
 * killed runs together cannot read the whole input. (A kill after a sink subtask finished is the end-of-input problem
 * shown by {@code ExactlyOnceOutputTest#aFailureAfterOneSinkSubtaskFinishedDuplicatesNothing}.)
 */
class ProcessCrashTest {
    private static final long SEED = 4_242_2025L;
    private static final int LINES = 100_000;
    private static final int RATE = 20_000; // lines per second: an uninterrupted run reads for 5 s
    private static final int KILLS = 4;

    @TempDir
    Path tmp;

    @RegisterExtension
    final CliProcesses children = new CliProcesses(() -> tmp);

    private static Map<String, Integer> writeInput(Path file, long seed) throws IOException {
        return CountsOracle.writeInput(file, seed, LINES);
    }

    private Process start(List<String> args, String name) throws IOException {
        return children.start(args, name);
    }

    private String log(String name) {
        return children.log(name);
    }

    private static List<Long> completedCheckpoints(Path checkpointDir) throws IOException {
        return new FileSystemCheckpointStorage(checkpointDir).completedCheckpointIds();
    }

    /** The id of a completed checkpoint above {@code after}, waiting for one at most {@code millis}; -1 if none. */
    private static long awaitCheckpointAfter(Path checkpointDir, long after, Process p, long millis) throws Exception {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < deadline && p.isAlive()) {
            if (Files.exists(checkpointDir)) {
                try {
                    List<Long> ids = completedCheckpoints(checkpointDir);
                    if (!ids.isEmpty() && ids.getLast() > after) {
                        return ids.getLast();
                    }
                } catch (IOException e) {
                    // a checkpoint deleted while listed: look again
                }
            }
            Thread.sleep(5);
        }
        return -1;
    }

    @Test
    @Timeout(55)
    void killedAndResumedRunsCommitExactlyTheOracle() throws Exception {
        killAndResumeCounts(List.of());
    }

    /**
     * The same with keyed state in RocksDB and incremental checkpoints (shared SST files) retaining 2: the kills also
     * fall while SST files are uploaded (a checkpoint every 100 ms), and after every kill each complete checkpoint left
     * in the directory still has every file it names, whole (size and checksum verified).
     */
    @Test
    @Timeout(80)
    void killedAndResumedRunsWithRocksDbIncrementalCheckpointsCommitExactlyTheOracle() throws Exception {
        killAndResumeCounts(List.of("--state-backend", "rocksdb", "--state-option", "rocksdb.incremental=true",
                "--state-option", "rocksdb.memory=16mb", "--state-option", "rocksdb.local-dir=" + tmp.resolve("rocksdb"),
                "--checkpoint-retention", "2"));
    }

    /**
     * A user job checked by the verifier, killed and resumed: the ledger (written by all the processes) and the
     * committed files hold every input line once, and the running count per first word steps by one.
     */
    @Test
    @Timeout(55)
    void killedAndResumedVerifiedJobCommitsEveryLineExactlyOnce() throws Exception {
        Path input = tmp.resolve("input.txt");
        Path output = tmp.resolve("out");
        Path ledger = tmp.resolve("ledger");
        Path checkpoints = tmp.resolve("checkpoints");
        writeInput(input, SEED);
        String context = killAndResume(List.of("run", VerifiedLinesJob.class.getName(), input.toString(), output.toString(),
                ledger.toString(), Integer.toString(RATE)), checkpoints, false);

        List<String> lines = TransactionalFileSink.readCommitted(output);
        ExactlyOnceVerifier verifier = ExactlyOnceVerifier.open(ledger);
        VerificationReport report = verifier.verify(lines.stream().map(Tag::fromLine).toList());
        System.out.println("ProcessCrashTest verified: " + report);
        report.assertExactlyOnce();
        assertEquals(LINES, report.expectedRecords(), context);
        verifier.verify().assertExactlyOnce();
        Map<String, Integer> perFirstWord = new HashMap<>();
        for (String line : Files.readAllLines(input, StandardCharsets.UTF_8)) {
            perFirstWord.merge(VerifiedLinesJob.firstWord(line), 1, Integer::sum);
        }
        Map<String, Integer> seen = new HashMap<>();
        lines.forEach(line -> seen.merge(Tagged.valueText(line), 1, Integer::sum));
        Map<String, Integer> expected = new HashMap<>();
        perFirstWord.forEach((word, count) -> {
            for (int n = 1; n <= count; n++) {
                expected.put(word + "\t" + n, 1);
            }
        });
        assertEquals(expected, seen, "each first word's running count steps by one (" + context + ")");
        assertEquals(List.of(), TransactionalFileSink.inProgressFiles(output), "in-progress files left (" + context + ")");
    }

    /** The built-in counts job, killed and resumed; then its committed output is exactly the oracle. */
    private void killAndResumeCounts(List<String> extraArgs) throws Exception {
        Path input = tmp.resolve("input.txt");
        Path output = tmp.resolve("out");
        Path checkpoints = tmp.resolve("checkpoints");
        Map<String, Integer> oracle = writeInput(input, SEED);
        List<String> job = new ArrayList<>(List.of("run", "counts", "--input", input.toString(), "--output",
                output.toString(), "--rate", Integer.toString(RATE)));
        job.addAll(extraArgs);
        String context = killAndResume(job, checkpoints, extraArgs.contains("rocksdb.incremental=true"));
        checkCountsOutput(oracle, output, checkpoints, context);
    }

    /**
     * Runs the command line {@code job} (checkpointing every 100 ms into {@code checkpoints}, parallelism 2) in child
     * JVMs: {@value #KILLS} of them killed, each resuming from the latest checkpoint, the last one finishing. Returns
     * what happened, for messages.
     */
    private String killAndResume(List<String> job, Path checkpoints, boolean incremental) throws Exception {
        List<String> base = new ArrayList<>(job);
        base.addAll(List.of("--checkpoint-interval", "100ms", "--checkpoint-dir", checkpoints.toString(),
                "--progress-interval", "0", "--parallelism", "2"));
        Random random = new Random(SEED);
        List<String> history = new ArrayList<>();
        long testStart = System.nanoTime();
        int kills = 0;
        int resumes = 0;
        int sharedFilesSeen = 0;
        for (int k = 0; k <= KILLS; k++) {
            boolean last = k == KILLS;
            List<Long> completed = Files.exists(checkpoints) ? completedCheckpoints(checkpoints) : List.of();
            List<String> args = new ArrayList<>(base);
            if (!completed.isEmpty()) {
                args.addAll(List.of("--from-checkpoint", "latest"));
                resumes++;
            }
            String name = "run-" + k;
            long start = System.nanoTime();
            Process p = start(args, name);
            String resumedFrom = completed.isEmpty() ? "fresh" : "resumed from checkpoint " + completed.getLast();
            if (last) {
                if (!p.waitFor(40, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    fail("the last run did not finish in 40 s (seed " + SEED + ", " + history + "): " + log(name));
                }
                long millis = (System.nanoTime() - start) / 1_000_000;
                history.add(name + ": " + resumedFrom + ", finished with exit " + p.exitValue() + " after " + millis + " ms");
                assertEquals(0, p.exitValue(), "the last run failed (seed " + SEED + ", " + history + "): " + log(name));
                break;
            }
            // The first kill comes at a random moment, perhaps before any checkpoint completed (the next run then
            // starts afresh). Later ones come at a random moment after the run completed a checkpoint of its own, so
            // that every later run resumes from a newer checkpoint. Bounded so that the killed runs cannot read the
            // whole input between them.
            String when;
            if (k == 0) {
                long delay = 300 + random.nextInt(600);
                when = delay + " ms after start";
                if (p.waitFor(delay, TimeUnit.MILLISECONDS)) {
                    fail(name + " ended by itself (exit " + p.exitValue() + ") before its kill (seed " + SEED + "): " + log(name));
                }
            } else {
                long after = completed.isEmpty() ? 0 : completed.getLast();
                long newer = awaitCheckpointAfter(checkpoints, after, p, 15_000);
                if (newer < 0) {
                    fail(name + " completed no checkpoint after " + after + " within 15 s (alive: " + p.isAlive()
                            + ", seed " + SEED + ", " + history + "): " + log(name));
                }
                long delay = random.nextInt(700);
                when = delay + " ms after its checkpoint " + newer + " ("
                        + ((System.nanoTime() - start) / 1_000_000 + delay) + " ms after start)";
                if (p.waitFor(delay, TimeUnit.MILLISECONDS)) {
                    fail(name + " ended by itself (exit " + p.exitValue() + ") before its kill (seed " + SEED + ", "
                            + history + "): " + log(name));
                }
            }
            p.destroyForcibly();
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), "killed child did not end");
            kills++;
            sharedFilesSeen += verifyCompleteCheckpoints(checkpoints, name + " (seed " + SEED + ")");
            history.add(name + ": " + resumedFrom + ", killed " + when + " (exit " + p.exitValue() + ")");
        }
        long totalMillis = (System.nanoTime() - testStart) / 1_000_000;
        String context = "seed " + SEED + ", " + kills + " kills, " + resumes + " resumes, " + totalMillis + " ms: " + history;
        System.out.println("ProcessCrashTest: " + context);
        assertTrue(kills >= 3, context);
        assertEquals(incremental, sharedFilesSeen > 0,
                "shared (incremental) files in the checkpoints left by the kills: " + sharedFilesSeen + " (" + context + ")");
        assertTrue(resumes >= KILLS - 1, "too few resumes from a checkpoint (" + context + ")");
        return context;
    }

    /** The committed lines are the oracle's {@code word<TAB>n} lines, each once; nothing in progress, no checkpoint left. */
    private static void checkCountsOutput(Map<String, Integer> oracle, Path output, Path checkpoints, String context)
            throws IOException {
        CountsOracle.checkCommitted(oracle, output, context);
        assertEquals(List.of(), completedCheckpoints(checkpoints), "a finished job deletes its checkpoints (" + context + ")");
    }

    /** Every complete checkpoint in {@code dir} names only files that are there, whole. */
    private static int verifyCompleteCheckpoints(Path dir, String context) throws IOException {
        int shared = 0;
        if (!Files.exists(dir)) {
            return shared;
        }
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(dir);
        for (long id : storage.completedCheckpointIds()) {
            try {
                var checkpoint = storage.open(id);
                checkpoint.verify();
                shared += checkpoint.metadata().files(io.sluice.runtime.checkpoint.storage.StateFileHandle.Scope.SHARED).size();
            } catch (io.sluice.runtime.checkpoint.storage.CheckpointNotFoundException e) {
                // deleted (retention) between listing and opening: the killed run was discarding it
            } catch (IOException e) {
                throw new AssertionError("after killing " + context + ", complete checkpoint " + id + " is damaged: " + e, e);
            }
        }
        return shared;
    }

    /**
     * {@code --from-checkpoint latest} with no completed checkpoint under {@code --checkpoint-dir}: the job cannot
     * start, so exit 1 (Main: 2 is for a bad command line, 1 for a job that cannot start) and one line on standard
     * error naming the directory; nothing is written to the output.
     */
    @Test
    @Timeout(30)
    void resumingFromLatestWithoutACheckpointFailsWithOneLine() throws Exception {
        Path input = tmp.resolve("input.txt");
        Files.writeString(input, "a b a\n");
        Path output = tmp.resolve("out");
        Path checkpoints = tmp.resolve("checkpoints");
        Process p = start(List.of("run", "counts", "--input", input.toString(), "--output", output.toString(),
                "--checkpoint-interval", "100ms", "--checkpoint-dir", checkpoints.toString(), "--from-checkpoint", "latest",
                "--progress-interval", "0"), "resume-without-checkpoint");
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the run did not end");
        String log = log("resume-without-checkpoint");
        assertEquals(1, p.exitValue(), log);
        String err = Files.readString(tmp.resolve("resume-without-checkpoint.err"));
        List<String> errLines = err.lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, errLines.size(), log);
        assertTrue(errLines.getFirst().startsWith("sluice: ") && errLines.getFirst().contains("no completed checkpoint")
                && errLines.getFirst().contains(checkpoints.toString()), log);
        assertEquals("", Files.readString(tmp.resolve("resume-without-checkpoint.out")), log);
        assertFalse(Files.exists(output), "output written by a run that could not start");
    }
}
