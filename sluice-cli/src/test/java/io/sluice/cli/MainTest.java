package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.EnvironmentSettings;
import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.SubmitOptions;
import io.sluice.api.graph.CheckpointConfig;
import io.sluice.api.graph.JobConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The {@code sluice} command through {@link Main#execute}: exit codes (0 ok, 1 job failed or cannot start, 2 bad
 * command line) and errors as exactly one line on standard error starting with {@code "sluice: "}.
 */
class MainTest {
    /** A parallelism no command in these tests gets unless it asks for it. */
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    @TempDir
    Path tmp;

    @BeforeEach
    @AfterEach
    void resetTestJob() {
        SomeTestJob.reset();
    }

    /** What one command line did. */
    record Result(int exit, String out, String err) {
        List<String> errLines() {
            return err.isEmpty() ? List.of() : List.of(err.split("\r?\n", -1)).stream()
                    .filter(l -> !l.isEmpty()).toList();
        }

        @Override
        public String toString() {
            return "exit " + exit + ", stderr: <" + err + ">, stdout: <" + out + ">";
        }
    }

    static Result run(String... args) {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            exit = Main.execute(args);
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The settings the job of a command line starts from, as its options give them (the command does not run). */
    static EnvironmentSettings settingsOf(String... args) {
        CommandLine.ParseResult parsed = new CommandLine(new Main()).parseArgs(args);
        while (parsed.hasSubcommand()) {
            parsed = parsed.subcommand();
        }
        return ((JobOptions) parsed.commandSpec().mixins().get("options").userObject()).settings();
    }

    /** Asserts the exit code and exactly one stderr line starting with "sluice: " and containing each fragment. */
    static Result assertError(int exit, List<String> fragments, String... args) {
        Result r = run(args);
        String context = String.join(" ", args) + " -> " + r;
        assertEquals(exit, r.exit(), "exit code of " + context);
        List<String> lines = r.errLines();
        assertEquals(1, lines.size(), "stderr lines of " + context);
        assertTrue(lines.get(0).startsWith("sluice: "), context);
        for (String fragment : fragments) {
            assertTrue(lines.get(0).contains(fragment), "'" + fragment + "' in " + context);
        }
        return r;
    }

    // ---- word count ----

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{Nd}]+");

    /** Writes seeded random text files under {@code dir} and returns the word counts computed by regex. */
    private static Map<String, Long> writeInput(Path dir, long seed) throws Exception {
        String[] words = {"Alpha", "beta", "GAMMA", "straße", "Ölfeld", "東京", "Москва", "x1", "42", "𝐀𝐁", "naïve"};
        String[] separators = {" ", ", ", ". ", "!\t", " — ", "😀", "_", "-", "'"};
        Random random = new Random(seed);
        Map<String, Long> counts = new HashMap<>();
        for (int f = 0; f < 3; f++) {
            List<String> lines = new ArrayList<>();
            for (int l = 0; l < 4000; l++) {
                StringBuilder line = new StringBuilder();
                int n = random.nextInt(12);
                for (int i = 0; i < n; i++) {
                    String w = words[random.nextInt(words.length)];
                    line.append(random.nextBoolean() ? w.toUpperCase(Locale.ROOT) : w)
                            .append(separators[random.nextInt(separators.length)]);
                }
                lines.add(line.toString());
                Matcher m = WORD.matcher(line);
                while (m.find()) {
                    counts.merge(m.group().toLowerCase(Locale.ROOT), 1L, Long::sum);
                }
            }
            Path file = (f == 2 ? Files.createDirectories(dir.resolve("nested")) : dir).resolve("text-" + f + ".txt");
            Files.write(file, lines, StandardCharsets.UTF_8);
        }
        return counts;
    }

    private static Map<String, Long> readCounts(Path file) throws Exception {
        Map<String, Long> counts = new HashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] parts = line.split("\t", -1);
            assertEquals(2, parts.length, "output line " + line);
            assertNull(counts.put(parts[0], Long.parseLong(parts[1])), "word written twice: " + parts[0]);
        }
        return counts;
    }

    @Test
    void wordcountWritesTheCountsAndExitsZero() throws Exception {
        Path input = Files.createDirectories(tmp.resolve("input"));
        Map<String, Long> expected = writeInput(input, 5);
        Path output = tmp.resolve("counts.tsv");
        String[] args = {"run", "wordcount", "--input", input.toString(), "--output", output.toString(), "--parallelism", "2"};
        Result r = run(args);
        assertEquals(0, r.exit(), r.toString());
        assertEquals(expected, readCounts(output), "seed 5");
        assertEquals("", r.err(), "nothing on stderr when all is well");
        assertTrue(r.out().contains("Job 'wordcount' finished"), r.out());
        assertEquals(2, settingsOf(args).parallelism(), "--parallelism is applied");
    }

    @Test
    void wordcountOnRocksDbWithStateOptionsCountsTheSame() throws Exception {
        Path input = Files.createDirectories(tmp.resolve("input"));
        Map<String, Long> expected = writeInput(input, 6);
        Path output = tmp.resolve("counts.tsv");
        Result r = run("run", "wordcount", "--input", input.toString(), "--output", output.toString(),
                "--parallelism", "2", "--state-backend", "rocksdb", "--state-option", "rocksdb.memory=32mb",
                "--state-option", "rocksdb.local-dir=" + tmp.resolve("rocksdb"));
        assertEquals(0, r.exit(), r.toString());
        assertEquals(expected, readCounts(output), "seed 6");
    }

    @Test
    void anUnknownRocksDbOptionFailsNamingIt() throws Exception {
        Path input = Files.createDirectories(tmp.resolve("input"));
        writeInput(input, 7);
        assertError(1, List.of("rocksdb.bogus"), "run", "wordcount", "--input", input.toString(), "--output",
                tmp.resolve("out.tsv").toString(), "--state-backend", "rocksdb", "--state-option", "rocksdb.bogus=1");
    }

    @Test
    void aStateOptionWithoutAValueIsABadCommandLine() {
        assertError(2, List.of("--state-option", "KEY=VALUE"), "run", "wordcount", "--input", "x", "--output", "y",
                "--state-option", "rocksdb.memory");
    }

    @Test
    void optionsOfAnEarlierCommandDoNotLeakIntoTheNext() throws Exception {
        Path input = Files.createDirectories(tmp.resolve("input"));
        writeInput(input, 8);
        Result wordcount = run("run", "wordcount", "--input", input.toString(), "--output", tmp.resolve("a.tsv").toString(),
                "--parallelism", "2", "--checkpoint-interval", "1s", "--checkpoint-dir", tmp.resolve("ckp").toString());
        assertEquals(0, wordcount.exit(), wordcount.toString());
        String checkpoints = tmp.resolve("ckp2").toString();
        Result first = run("run", SomeTestJob.class.getName(), "--parallelism", Integer.toString(CORES + 1),
                "--checkpoint-interval", "1s", "--checkpoint-dir", checkpoints, "--checkpoint-retention", "2",
                "--mode", "at-least-once", "--state-backend", "rocksdb", "--state-option", "rocksdb.memory=32mb",
                "--allow-non-restored-state", "--progress-interval", "7");
        assertEquals(0, first.exit(), first.toString());
        assertEquals(CORES + 1, SomeTestJob.runningParallelism, "--parallelism reaches the running job");
        CheckpointConfig taken = SomeTestJob.seenGraph.checkpointing();
        assertEquals(Duration.ofSeconds(1), taken.interval());
        assertEquals(checkpoints, taken.directory());
        assertEquals(2, taken.retained());
        assertEquals(CheckpointConfig.Mode.AT_LEAST_ONCE, taken.mode());
        assertEquals("rocksdb", SomeTestJob.seenGraph.config().stateBackend());
        assertEquals(Map.of("rocksdb.memory", "32mb"), SomeTestJob.seenGraph.config().stateBackendOptions());
        assertEquals(new SubmitOptions(null, true, Duration.ofSeconds(7)), SomeTestJob.seenSubmitOptions);

        Result second = run("run", SomeTestJob.class.getName());
        assertEquals(0, second.exit(), second.toString());
        assertEquals(CORES, SomeTestJob.runningParallelism, "parallelism left over from the first command");
        assertNull(SomeTestJob.seenGraph.checkpointing(), "checkpointing left over from the first command");
        assertEquals(JobConfig.defaults(), SomeTestJob.seenGraph.config(), "state backend left over from the first command");
        assertEquals(new SubmitOptions(null, false, Duration.ofSeconds(3)), SomeTestJob.seenSubmitOptions,
                "restore path, unmatched state or progress left over from the first command");
        StreamEnvironment outside = StreamEnvironment.create();
        assertEquals(CORES, outside.getParallelism(), "outside any command: the defaults");
        assertEquals(SubmitOptions.fresh(), outside.getSubmitOptions(), "outside any command: the defaults");
    }

    @Test
    void aMainClassThatThrowsLeavesNeitherItsSettingsNorItsClassLoaderBehind() {
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        assertError(1, List.of("the job refuses to run"), "run", FailingTestJobs.ThrowsInMain.class.getName(),
                "--parallelism", Integer.toString(CORES + 1), "--progress-interval", "5");
        assertEquals(CORES, StreamEnvironment.create().getParallelism());
        assertEquals(SubmitOptions.fresh(), StreamEnvironment.create().getSubmitOptions());
        assertEquals(before, Thread.currentThread().getContextClassLoader());
    }

    @Test
    void progressAndCheckpointLinesReachAMainClassJob() {
        // 1500 records at 1000/s: about 1.5 s, so at least one progress line (1 s) and several checkpoints (200 ms).
        Result r = run("run", SomeTestJob.class.getName(), "--parallelism", "1", "--progress-interval", "1",
                "--checkpoint-interval", "200ms", "paced", "1500", "1000");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(LongStream.rangeClosed(1, 1500).map(x -> 2 * x).boxed().toList(),
                SomeTestJob.results.stream().sorted().toList());
        assertTrue(r.errLines().stream().anyMatch(l -> l.contains("records/s")), "a progress line: " + r);
        assertTrue(r.errLines().stream().anyMatch(l -> l.matches(".*checkpoint \\d+ complete.*")), "a checkpoint line: " + r);

        Result quiet = run("run", SomeTestJob.class.getName(), "--parallelism", "1", "--progress-interval", "0",
                "--checkpoint-interval", "200ms", "paced", "1500", "1000");
        assertEquals(0, quiet.exit(), quiet.toString());
        assertEquals("", quiet.err(), "--progress-interval 0: no progress or checkpoint lines");
    }

    @Test
    void wordcountOnAMissingInputFailsToStart() {
        Path missing = tmp.resolve("does-not-exist");
        Path output = tmp.resolve("out.tsv");
        assertError(1, List.of(missing.toString()),
                "run", "wordcount", "--input", missing.toString(), "--output", output.toString());
        assertFalse(Files.exists(output), "no output for a job that never ran");
    }

    @Test
    void wordcountOnMalformedInputFailsInOneLine() throws Exception {
        Path input = tmp.resolve("bad.txt");
        Files.write(input, new byte[] {'o', 'k', '\n', 'b', (byte) 0xC3, 0x28, '\n'});
        Path output = tmp.resolve("out.tsv");
        assertError(1, List.of(input.toString(), "offset 3"),
                "run", "wordcount", "--input", input.toString(), "--output", output.toString(),
                "--parallelism", "1");
        assertFalse(Files.exists(output), "no output for a failed job");
    }

    // ---- bad command lines ----

    @Test
    void anUnknownJobCannotStart() {
        // Not a built-in example, so it is taken as a main class, which does not exist: the job cannot start (1).
        assertError(1, List.of("unknown job 'nosuchjob'"), "run", "nosuchjob");
    }

    @Test
    void anUnknownOptionIsABadCommandLine() {
        assertError(2, List.of("--frobnicate"), "run", "wordcount", "--input", "in", "--output", "out",
                "--frobnicate");
        assertError(2, List.of("--frobnicate"), "--frobnicate");
    }

    @Test
    void aNonNumericParallelismIsABadCommandLine() {
        assertError(2, List.of("--parallelism", "abc"), "run", "wordcount", "--input", "in", "--output", "out",
                "--parallelism", "abc");
    }

    @Test
    void parallelismZeroIsABadCommandLine() {
        assertError(2, List.of("--parallelism"), "run", "wordcount", "--input", tmp.toString(), "--output",
                tmp.resolve("out").toString(), "--parallelism", "0");
        assertError(2, List.of("--parallelism"), "run", SomeTestJob.class.getName(), "--parallelism", "-3");
        assertNull(SomeTestJob.seenArgs, "the main class must not run");
    }

    @Test
    void demoWithParallelismZeroIsABadCommandLine() {
        assertError(2, List.of("--parallelism"), "demo", "--parallelism", "0");
    }

    @Test
    void aNegativeProgressIntervalIsABadCommandLine() {
        assertError(2, List.of("--progress-interval"), "run", "wordcount", "--input", tmp.toString(), "--output",
                tmp.resolve("out").toString(), "--progress-interval", "-1");
    }

    @Test
    void theFlushTimeoutGoesWithTheJobAndZeroStillCountsRight() throws Exception {
        Path input = Files.createDirectories(tmp.resolve("input"));
        Map<String, Long> expected = writeInput(input, 11);
        Path output = tmp.resolve("counts.tsv");
        String[] args = {"run", "wordcount", "--input", input.toString(), "--output", output.toString(), "--parallelism",
                "2", "--flush-timeout", "0"};
        Result r = run(args);
        assertEquals(0, r.exit(), r.toString());
        assertEquals(expected, readCounts(output), "seed 11, every record sent alone");
        assertEquals(0, settingsOf(args).config().flushTimeoutMillis());
        assertEquals(250, settingsOf("run", "wordcount", "--input", "i", "--output", "o", "--flush-timeout", "250ms")
                .config().flushTimeoutMillis());
        assertError(2, List.of("--flush-timeout", "bad duration '5x'"), "run", "wordcount", "--input", tmp.toString(),
                "--output", tmp.resolve("out").toString(), "--flush-timeout", "5x");
    }

    @Test
    void aMissingRequiredOptionIsABadCommandLine() {
        assertError(2, List.of("--output"), "run", "wordcount", "--input", tmp.toString());
        assertError(2, List.of("--input"), "run", "wordcount", "--output", tmp.resolve("out").toString());
    }

    @Test
    void runWithoutAJobIsABadCommandLine() {
        assertError(2, List.of("<job>"), "run");
    }

    // ---- main classes ----

    @Test
    void aMainClassRunsWithTheGivenParallelismAndArguments() {
        Result r = run("run", SomeTestJob.class.getName(), "--parallelism", "3", "first", "second");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("", r.err());
        assertEquals(3, SomeTestJob.seenParallelism);
        assertEquals(3, SomeTestJob.runningParallelism);
        assertEquals(List.of("first", "second"), SomeTestJob.seenArgs);
        assertEquals(LongStream.rangeClosed(1, 1000).map(x -> 2 * x).sorted().boxed().toList(),
                SomeTestJob.results.stream().sorted().toList());
    }

    @Test
    void aMainClassGetsItsOwnOptionsAndWhatComesAfterADoubleDash() {
        Result r = run("run", SomeTestJob.class.getName(), "--input", "in", "--parallelism", "2", "--output=out", "-v",
                "--", "--parallelism", "7");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(List.of("--input", "in", "--output=out", "-v", "--parallelism", "7"), SomeTestJob.seenArgs);
        assertEquals(2, SomeTestJob.seenParallelism, "--parallelism before the -- is run's");
    }

    @Test
    void anUnknownOptionBeforeTheJobIsABadCommandLine() {
        assertError(2, List.of("--frobnicate"), "run", "--frobnicate", SomeTestJob.class.getName());
        assertNull(SomeTestJob.seenArgs, "the main class must not run");
        assertError(2, List.of("--frobnicate"), "run", "--frobnicate", "wordcount", "--input", tmp.toString(),
                "--output", tmp.resolve("out").toString());
        assertFalse(Files.exists(tmp.resolve("out")), "wordcount must not run");
    }

    @Test
    void aMainClassThatThrowsFailsInOneLine() {
        assertError(1, List.of("the job refuses to run"), "run", FailingTestJobs.ThrowsInMain.class.getName());
    }

    @Test
    void aJobThatFailsWhileRunningFailsInOneLine() {
        assertError(1, List.of("no five thousands here"),
                "run", FailingTestJobs.FailsWhileRunning.class.getName(), "--parallelism", "2");
    }

    @Test
    void anUnreadableJarCannotStart() {
        Path jar = tmp.resolve("missing.jar");
        assertError(1, List.of(jar.toString()), "run", SomeTestJob.class.getName(), "--jar", jar.toString());
        assertNull(SomeTestJob.seenArgs, "the main class must not run");
    }

    @Test
    void helpPrintsUsageAndExitsZero() {
        Result r = run("--help");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("run"), r.out());
        assertEquals("", r.err());
    }
}
