package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sluice.connectors.file.TransactionalFileSink;
import io.sluice.runtime.checkpoint.storage.CompletedCheckpoint;
import io.sluice.runtime.checkpoint.storage.FileSystemCheckpointStorage;
import io.sluice.runtime.checkpoint.storage.StateFileHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check, end to end through the command line: {@code bin/sluice run counts ... --savepoint-dir SP} on one
 * state backend, stopped with SIGTERM (the CLI then stops the job with a savepoint and prints its path), resumes with
 * the other backend ({@code --state-backend ... --from-checkpoint SP/...}) at another parallelism, and the committed
 * output is exactly the oracle's. Both directions. Each run is a child JVM ({@link CliProcesses}), killed on every
 * path; all waits are bounded.
 */
class SavepointAcrossBackendsTest {
    private static final long SEED = 13_2025L;
    private static final int LINES = 60_000;
    private static final int RATE = 20_000; // lines per second: the first run would read for 3 s
    private static final Pattern STOPPED = Pattern.compile("sluice: stopped with savepoint (\\S+)");

    @TempDir
    Path tmp;

    @RegisterExtension
    final CliProcesses children = new CliProcesses(() -> tmp);

    @Test
    @Timeout(120)
    void aHeapSavepointResumesOnRocksDbAtAnotherParallelism() throws Exception {
        stopAndResume(List.of("--state-backend", "heap"), 2, rocksDb(), 3);
    }

    @Test
    @Timeout(120)
    void aRocksDbSavepointResumesOnTheHeapAtAnotherParallelism() throws Exception {
        // incremental checkpoints run before the savepoint: the savepoint is canonical all the same
        stopAndResume(rocksDb(), 3, List.of("--state-backend", "heap"), 1);
    }

    private List<String> rocksDb() {
        return List.of("--state-backend", "rocksdb", "--state-option", "rocksdb.incremental=true", "--state-option",
                "rocksdb.memory=16mb", "--state-option", "rocksdb.local-dir=" + tmp.resolve("rocksdb"));
    }

    /**
     * Runs counts with {@code firstBackend} at {@code firstParallelism}, rate-limited, stops it with SIGTERM a seeded
     * moment after its first completed checkpoint, then runs it from the printed savepoint with {@code secondBackend}
     * at {@code secondParallelism} to the end; the committed output must be the oracle's.
     */
    private void stopAndResume(List<String> firstBackend, int firstParallelism, List<String> secondBackend,
            int secondParallelism) throws Exception {
        Path input = tmp.resolve("input.txt");
        Path output = tmp.resolve("out");
        Map<String, Integer> oracle = CountsOracle.writeInput(input, SEED, LINES);
        List<String> first = new ArrayList<>(List.of("run", "counts", "--input", input.toString(), "--output",
                output.toString(), "--rate", Integer.toString(RATE), "--checkpoint-interval", "100ms", "--checkpoint-dir",
                tmp.resolve("checkpoints-1").toString(), "--savepoint-dir", tmp.resolve("savepoints").toString(),
                "--parallelism", Integer.toString(firstParallelism), "--progress-interval", "0"));
        first.addAll(firstBackend);
        Process p = children.start(first, "first");
        long checkpoint = awaitCheckpoint(tmp.resolve("checkpoints-1"), p, 20_000);
        if (checkpoint < 0) {
            fail("the first run completed no checkpoint within 20 s (alive: " + p.isAlive() + "): " + children.log("first"));
        }
        long delay = new Random(SEED).nextInt(400);
        if (p.waitFor(delay, TimeUnit.MILLISECONDS)) {
            fail("the first run ended by itself (exit " + p.exitValue() + ") before its SIGTERM: " + children.log("first"));
        }
        p.destroy(); // SIGTERM: the CLI stops the job with a savepoint
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            fail("the first run did not stop within 60 s of its SIGTERM: " + children.log("first"));
        }
        Matcher stopped = STOPPED.matcher(children.stderr("first"));
        assertTrue(stopped.find(), "no savepoint printed: " + children.log("first"));
        Path savepoint = Path.of(stopped.group(1));
        String context = "seed " + SEED + ", first run " + firstBackend + " x" + firstParallelism + " stopped " + delay
                + " ms after checkpoint " + checkpoint + " with savepoint " + savepoint + ", resumed with " + secondBackend
                + " x" + secondParallelism;
        long committedBefore = TransactionalFileSink.readCommitted(output).size();
        assertTrue(committedBefore < CountsOracle.expectedLines(oracle),
                "the first run was stopped before its input ended (" + context + ")");
        checkCanonical(savepoint, firstParallelism, context);

        List<String> second = new ArrayList<>(List.of("run", "counts", "--input", input.toString(), "--output",
                output.toString(), "--checkpoint-interval", "100ms", "--checkpoint-dir", tmp.resolve("checkpoints-2").toString(),
                "--from-checkpoint", savepoint.toString(), "--parallelism", Integer.toString(secondParallelism),
                "--progress-interval", "0"));
        second.addAll(secondBackend);
        Process resumed = children.start(second, "second");
        if (!resumed.waitFor(60, TimeUnit.SECONDS)) {
            fail("the resumed run did not finish within 60 s (" + context + "): " + children.log("second"));
        }
        assertEquals(0, resumed.exitValue(), "the resumed run failed (" + context + "): " + children.log("second"));
        System.out.println("SavepointAcrossBackendsTest: " + context + "; " + committedBefore + " lines committed before");
        CountsOracle.checkCommitted(oracle, output, context);
    }

    /** The savepoint's keyed state is one canonical file per old subtask of the keyed operator, no native files. */
    private static void checkCanonical(Path savepoint, int parallelism, String context) throws Exception {
        CompletedCheckpoint completed = FileSystemCheckpointStorage.openPath(savepoint);
        completed.verify();
        List<StateFileHandle> keyed = completed.files().stream().filter(f -> f.name().startsWith("keyed-")).toList();
        assertEquals(parallelism, keyed.size(), "canonical key-group files in " + completed.files() + " (" + context + ")");
        assertEquals(List.of(), completed.metadata().files(StateFileHandle.Scope.SHARED),
                "a savepoint names no native (shared) files (" + context + ")");
        if (Files.exists(savepoint.resolve("shared"))) {
            try (var shared = Files.list(savepoint.resolve("shared"))) {
                assertFalse(shared.findAny().isPresent(), "nothing in the savepoint's shared directory (" + context + ")");
            }
        }
    }

    /** The id of the first completed checkpoint under {@code dir}, waiting at most {@code millis}; -1 if none. */
    private static long awaitCheckpoint(Path dir, Process p, long millis) throws Exception {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < deadline && p.isAlive()) {
            if (Files.exists(dir)) {
                try {
                    List<Long> ids = new FileSystemCheckpointStorage(dir).completedCheckpointIds();
                    if (!ids.isEmpty()) {
                        return ids.getLast();
                    }
                } catch (java.io.IOException e) {
                    // a checkpoint deleted while listed: look again
                }
            }
            Thread.sleep(5);
        }
        return -1;
    }
}
