package io.sluice.bench;

import static io.sluice.bench.NexmarkResults.*;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Nexmark side by side: Sluice, Apache Flink 2.3 and the plain loop, each run in its own JVM with the same JDK, heap,
 * parallelism, state backend kind and checkpoint interval, as {@code ../shared/BENCHMARKS.md} asks. Started by
 * {@code bin/sluice bench nexmark}, which first builds what it needs (the default modules and, with {@code -Pflink},
 * {@code sluice-nexmark-flink}). JDK only: it starts the engines as processes and reads their {@code NEXMARK} lines.
 *
 * <pre>
 * bin/sluice bench nexmark [--queries q0,q5,...|all] [--parallelism 1,2] [--backend heap,rocksdb] [--events N]
 *                          [--pairs 3] [--checkpoint-interval 10s] [--check-events N] [--xmx 2g] [--seed S]
 *                          [--run-timeout SECONDS]
 * </pre>
 *
 * For each query × parallelism × backend: first a correctness check (Sluice, Flink and the loop write their sorted
 * results of {@code --check-events} events with {@code --output}; the files must be byte-equal), then
 * {@code --pairs} rounds of Sluice, Flink, loop (A B A B ..., the loop after each pair) over {@code --events}
 * events; every run's {@code NEXMARK} line is printed as it ends, and every round's result counts and digests must
 * agree. At the end one {@code RESULT} line per query and configuration (see {@link Summary#format()}); the exit
 * code is 1 if any check failed, any digests differed or any run failed (after the whole report), 2 on a bad
 * command line.
 *
 * <p>Before the first run the project's own jars (those named {@code sluice-*}) are copied to a temporary directory,
 * so a rebuild while the runner works (shared machines) neither breaks a run nor mixes two builds in one report.
 * Peak RSS: {@code /usr/bin/time -f %M} around each job process if it exists (what the protocol names), else the
 * {@code peak_rss_mb} of the run's line ({@code VmHWM} at the run's end).
 */
public final class NexmarkRunner {
    static final List<String> ALL_QUERIES = List.of("q0", "q1", "q2", "q3", "q4", "q5", "q7", "q8", "q11");
    /** Queries run only when named: kc, the keyed count of BENCHMARKS.md over the bids (docs/nexmark.md). */
    static final List<String> NAMED_ONLY = List.of("kc");
    static final String FLINK_MAIN = "io.sluice.nexmark.flink.FlinkNexmark";
    static final String SLUICE_MAIN = "io.sluice.cli.Main";
    static final Path TIME = Path.of("/usr/bin/time");

    private NexmarkRunner() {}

    // ------------------------------------------------------------------------------------------------ options

    /** The command line. */
    record Options(Path root, List<String> queries, List<Integer> parallelisms, List<String> backends, long events,
            int pairs, String checkpointInterval, long checkEvents, String xmx, long seed, long runTimeoutSeconds,
            int workers, List<String> args) {

        static final String USAGE = "usage: bin/sluice bench nexmark [--queries q0,q1,...|all] [--parallelism 1,2] "
                + "[--backend heap,rocksdb] [--events N (default 5000000)] [--pairs N (default 3)] "
                + "[--checkpoint-interval D (e.g. 10s; default none)] [--check-events N (default 200000; 0 skips the check)] "
                + "[--xmx SIZE (default 2g)] [--seed S (default 1)] [--run-timeout SECONDS (default 1800)] "
                + "[--workers N (default 0: Sluice embedded, Flink 1 TaskManager; N: a local Sluice cluster of N worker "
                + "processes beside Flink with N TaskManagers)]";

        static Options parse(String... args) {
            Path root = Path.of(System.getProperty("sluice.root", "."));
            List<String> queries = ALL_QUERIES;
            List<Integer> parallelisms = List.of(1);
            List<String> backends = List.of("heap");
            long events = 5_000_000;
            int pairs = 3;
            String interval = null;
            long checkEvents = 200_000;
            String xmx = "2g";
            long seed = 1;
            long timeout = 1800;
            int workers = 0;
            List<String> shown = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value of " + name);
                }
                String value = args[++i];
                if (!name.equals("--root")) {
                    shown.add(name);
                    shown.add(value);
                }
                switch (name) {
                    case "--root" -> root = Path.of(value);
                    case "--queries", "--query" -> queries = value.equals("all") ? ALL_QUERIES : queries(value);
                    case "--parallelism" -> parallelisms = list(value).stream().map(Integer::parseInt).toList();
                    case "--backend", "--state-backend" -> backends = list(value);
                    case "--events" -> events = Long.parseLong(value);
                    case "--pairs" -> pairs = Integer.parseInt(value);
                    case "--checkpoint-interval" -> interval = value.equals("none") ? null : value;
                    case "--check-events" -> checkEvents = Long.parseLong(value);
                    case "--xmx" -> xmx = value;
                    case "--seed" -> seed = Long.parseLong(value);
                    case "--run-timeout" -> timeout = Long.parseLong(value);
                    case "--workers" -> workers = Integer.parseInt(value);
                    default -> throw new IllegalArgumentException("unknown option " + name);
                }
            }
            if (workers < 0) {
                throw new IllegalArgumentException("--workers must not be negative, was " + workers);
            }
            if (events < 1 || pairs < 1 || checkEvents < 0 || timeout < 1) {
                throw new IllegalArgumentException("--events, --pairs and --run-timeout must be positive, --check-events not negative");
            }
            for (int p : parallelisms) {
                if (p < 1) {
                    throw new IllegalArgumentException("--parallelism must be at least 1, was " + p);
                }
            }
            for (String b : backends) {
                if (!b.equals("heap") && !b.equals("rocksdb")) {
                    throw new IllegalArgumentException("--backend must be heap or rocksdb, was '" + b + "'");
                }
            }
            if (!xmx.matches("[0-9]+[kmgKMG]?")) {
                throw new IllegalArgumentException("--xmx must be a heap size like 2g, was '" + xmx + "'");
            }
            if (interval != null && !interval.matches("[0-9]+(ms|s|m|h)")) {
                throw new IllegalArgumentException("--checkpoint-interval must be like 500ms, 10s, 2m or 1h, was '" + interval + "'");
            }
            return new Options(root, queries, parallelisms, backends, events, pairs, interval, checkEvents, xmx, seed,
                    timeout, workers, List.copyOf(shown));
        }

        private static List<String> list(String value) {
            List<String> items = Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
            if (items.isEmpty()) {
                throw new IllegalArgumentException("empty list: '" + value + "'");
            }
            return items;
        }

        private static List<String> queries(String value) {
            List<String> queries = new ArrayList<>();
            for (String q : list(value)) {
                String id = q.toLowerCase(Locale.ROOT);
                if (!ALL_QUERIES.contains(id) && !NAMED_ONLY.contains(id)) {
                    throw new IllegalArgumentException("unknown query '" + q + "': valid queries are "
                            + String.join(", ", ALL_QUERIES) + ", " + String.join(", ", NAMED_ONLY));
                }
                queries.add(id);
            }
            return queries;
        }

        String checkpoint() {
            return checkpointInterval == null ? "none" : checkpointInterval;
        }
    }

    // ------------------------------------------------------------------------------------------------ running

    /** The environment of one invocation: JVM commands, the work directory. */
    private record Setup(Options options, Path java, List<String> sluiceClasspath, List<String> flinkClasspath,
            List<String> flinkFlags, Path work, boolean time) {

        List<String> sluice(Config c, long events, Path output, Path checkpoints) {
            // On a cluster this process is only the client: the job runs in the workers.
            List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xmx" + (options.workers > 0 ? "256m" : options.xmx),
                    "--enable-native-access=ALL-UNNAMED", "-cp", String.join(":", sluiceClasspath), SLUICE_MAIN,
                    "run", "nexmark", "--query", c.query(), "--events", Long.toString(events),
                    "--seed", Long.toString(options.seed), "--parallelism", Integer.toString(c.parallelism()),
                    "--state-backend", c.backend(), "--progress-interval", "0"));
            if (options.checkpointInterval != null) {
                cmd.addAll(List.of("--checkpoint-interval", options.checkpointInterval, "--checkpoint-dir",
                        checkpoints.toString()));
            }
            if (output != null) {
                cmd.addAll(List.of("--output", output.toString()));
            }
            if (options.workers > 0) {
                cmd.addAll(List.of("--cluster", cluster().toString()));
            }
            return cmd;
        }

        /** The local cluster's directory, with {@code --workers}. */
        Path cluster() {
            return work.resolve("cluster");
        }

        /** Starts a cluster of {@code --workers} workers with enough slots for parallelism {@code p} between them. */
        void startCluster(int p) throws IOException, InterruptedException {
            int slots = (p + options.workers - 1) / options.workers;
            // A worker's heap is 45% of its memory: twice --xmx gives each about the heap an embedded run has.
            String memory = options.xmx.substring(0, options.xmx.length() - 1);
            String unit = options.xmx.substring(options.xmx.length() - 1);
            clusterCommand("start", "--workers", Integer.toString(options.workers), "--slots", Integer.toString(slots),
                    "--memory", Long.parseLong(memory) * 2 + unit, "--placement", "tasks");
        }

        void stopCluster() throws IOException, InterruptedException {
            clusterCommand("stop");
        }

        private void clusterCommand(String... args) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xmx256m", "-cp", String.join(":", sluiceClasspath),
                    SLUICE_MAIN, "cluster"));
            cmd.addAll(List.of(args));
            cmd.addAll(List.of("--dir", cluster().toString()));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("cluster " + args[0] + " failed: " + out);
            }
        }

        List<String> flink(Config c, long events, Path output) {
            List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xmx" + options.xmx));
            cmd.addAll(flinkFlags);
            cmd.addAll(List.of("-cp", String.join(":", flinkClasspath), FLINK_MAIN, "--query", c.query(),
                    "--events", Long.toString(events), "--seed", Long.toString(options.seed),
                    "--parallelism", Integer.toString(c.parallelism()), "--state-backend", c.backend(),
                    "--task-managers", Integer.toString(Math.max(1, options.workers))));
            if (options.checkpointInterval != null) {
                cmd.addAll(List.of("--checkpoint-interval", options.checkpointInterval));
            }
            if (output != null) {
                cmd.addAll(List.of("--output", output.toString()));
            }
            return cmd;
        }

        List<String> loop(String query, long events, Path output) {
            List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xmx" + options.xmx, "-cp",
                    String.join(":", sluiceClasspath), SLUICE_MAIN, "run", "nexmark", "--loop", "--query", query,
                    "--events", Long.toString(events), "--seed", Long.toString(options.seed)));
            if (output != null) {
                cmd.addAll(List.of("--output", output.toString()));
            }
            return cmd;
        }
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("nexmark: " + e.getMessage() + "\n" + Options.USAGE);
            System.exit(2);
            return;
        }
        Path work = Files.createTempDirectory("sluice-nexmark-");
        boolean ok;
        try {
            Setup setup = setUp(options, work);
            ok = runAll(setup);
        } finally {
            deleteRecursively(work);
        }
        System.out.println(ok ? "nexmark: ok" : "nexmark: FAILED (see the mismatches and failed runs above)");
        System.exit(ok ? 0 : 1);
    }

    private static Setup setUp(Options o, Path work) throws IOException {
        Path root = o.root.toAbsolutePath().normalize();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path cliJar = root.resolve("sluice-cli/target/sluice-cli.jar");
        Path cliLib = root.resolve("sluice-cli/target/lib");
        Path flinkDir = root.resolve("sluice-nexmark-flink");
        Path flinkJar;
        try (Stream<Path> jars = Files.list(flinkDir.resolve("target"))) {
            flinkJar = jars.filter(p -> p.getFileName().toString().matches("sluice-nexmark-flink-.*\\.jar"))
                    .findFirst().orElseThrow(() -> new IOException("sluice-nexmark-flink is not built (mvn -Pflink install)"));
        }
        List<String> sluiceCp = new ArrayList<>();
        sluiceCp.add(cliJar.toString());
        try (Stream<Path> jars = Files.list(cliLib)) {
            jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> sluiceCp.add(p.toString()));
        }
        List<String> flinkCp = new ArrayList<>();
        flinkCp.add(flinkJar.toString());
        String classpath = Files.readString(flinkDir.resolve("target/classpath.txt")).trim();
        flinkCp.addAll(Arrays.asList(classpath.split(":")));
        Setup setup = new Setup(o, java, snapshot(sluiceCp, work.resolve("jars-sluice")),
                snapshot(flinkCp, work.resolve("jars-flink")), flinkFlags(Files.readString(flinkDir.resolve("run-flink.sh"))),
                work, Files.isExecutable(TIME));

        System.out.println("nexmark: Sluice, Flink and the plain loop side by side (../shared/BENCHMARKS.md)");
        System.out.println("command: bin/sluice bench nexmark " + String.join(" ", o.args));
        System.out.println("commit: " + commit(root) + "; machine: " + machine() + "; JDK " + Runtime.version() + " ("
                + System.getProperty("java.home") + ")");
        System.out.printf(Locale.ROOT, "queries %s; parallelism %s; backend %s; checkpoint %s; %,d events per timed run, "
                + "%d pairs; check on %,d events; seed %d%n", String.join(",", o.queries),
                o.parallelisms.stream().map(String::valueOf).collect(Collectors.joining(",")),
                String.join(",", o.backends), o.checkpoint(), o.events, o.pairs, o.checkEvents, o.seed);
        Config example = new Config("qN", 1, "heap");
        System.out.println("sluice: " + shorten(setup.sluice(example, o.events, null, work.resolve("checkpoints")), root, work));
        System.out.println("flink:  " + shorten(setup.flink(example, o.events, null), root, work));
        System.out.println("loop:   " + shorten(setup.loop("qN", o.events, null), root, work));
        System.out.println("peak RSS: " + (setup.time ? "/usr/bin/time -f %M around each job process"
                : "the line's peak_rss_mb (VmHWM at the run's end; no /usr/bin/time)"));
        return setup;
    }

    private static boolean runAll(Setup setup) throws IOException, InterruptedException {
        Options o = setup.options;
        List<Summary> summaries = new ArrayList<>();
        Map<String, Path> loopChecks = new LinkedHashMap<>();
        String jdk = Runtime.version().toString();
        for (String query : o.queries) {
            for (int parallelism : o.parallelisms) {
                for (String backend : o.backends) {
                    summaries.add(runConfig(setup, new Config(query, parallelism, backend), loopChecks, jdk));
                }
            }
        }
        System.out.println();
        boolean ok = true;
        int shortRuns = 0;
        for (Summary s : summaries) {
            Summary full = s.withEfficiencyFrom(summaries);
            System.out.println(full.format());
            ok &= full.ok();
            shortRuns += full.minRunSeconds() < 10 ? 1 : 0;
        }
        if (shortRuns > 0) {
            System.out.println("note: " + shortRuns + " of " + summaries.size() + " configurations had engine runs shorter "
                    + "than the protocol's 10 s (min_run_s); raise --events for figures to quote");
        }
        return ok;
    }

    /** The check and the timed pairs of one configuration, on a local cluster of its own with {@code --workers}. */
    private static Summary runConfig(Setup setup, Config c, Map<String, Path> loopChecks, String jdk)
            throws IOException, InterruptedException {
        Options o = setup.options;
        System.out.println();
        System.out.println("== " + c + " checkpoint=" + o.checkpoint() + (o.workers > 0 ? " workers=" + o.workers : ""));
        if (o.workers > 0) {
            setup.startCluster(c.parallelism());
        }
        try {
            String check = o.checkEvents == 0 ? "skipped" : check(setup, c, loopChecks);
            List<Round> rounds = new ArrayList<>();
            for (int pair = 1; pair <= o.pairs; pair++) {
                Path ck = setup.work.resolve("checkpoints");
                Run sluice = run(setup, "sluice", setup.sluice(c, o.events, null, ck), ck);
                Run flink = run(setup, "flink", setup.flink(c, o.events, null), null);
                Run loop = run(setup, "loop", setup.loop(c.query(), o.events, null), null);
                Round round = new Round(sluice, flink, loop);
                String mismatch = round.mismatch();
                if (mismatch != null) {
                    System.out.println("MISMATCH " + c + " pair " + pair + ": " + mismatch);
                }
                if (sluice != null && flink != null) {
                    System.out.printf(Locale.ROOT, "pair %d: sluice/flink %s%s%n", pair,
                            twoDecimals(sluice.eps() / flink.eps()), loop == null ? ""
                                    : ", sluice/loop " + twoDecimals(sluice.eps() / loop.eps()));
                }
                rounds.add(round);
            }
            return Summary.of(c, o.events, o.checkpoint(), rounds, check, jdk);
        } finally {
            if (o.workers > 0) {
                setup.stopCluster();
            }
        }
    }

    /** The correctness check of one configuration: {@code ok}, {@code mismatch} or {@code failed}. */
    private static String check(Setup setup, Config c, Map<String, Path> loopChecks) throws IOException, InterruptedException {
        long n = setup.options.checkEvents;
        String tag = c.query() + "-p" + c.parallelism() + "-" + c.backend();
        Path sluiceOut = setup.work.resolve("check-sluice-" + tag + ".txt");
        Path flinkOut = setup.work.resolve("check-flink-" + tag + ".txt");
        Path ck = setup.work.resolve("checkpoints");
        Run sluice = run(setup, "sluice", setup.sluice(c, n, sluiceOut, ck), ck);
        Run flink = run(setup, "flink", setup.flink(c, n, flinkOut), null);
        Path loopOut = loopChecks.get(c.query());
        if (loopOut == null) {
            loopOut = setup.work.resolve("check-loop-" + c.query() + ".txt");
            if (run(setup, "loop", setup.loop(c.query(), n, loopOut), null) == null) {
                loopOut = null;
            } else {
                loopChecks.put(c.query(), loopOut);
            }
        }
        String verdict = "ok";
        if (sluice == null || flink == null || loopOut == null) {
            verdict = "failed";
        } else {
            Diff engines = Diff.of(sluiceOut, flinkOut);
            if (engines != null) {
                System.out.println("CHECK MISMATCH " + c + " events=" + n + ": sluice and flink differ\n"
                        + engines.describe("sluice", "flink"));
                verdict = "mismatch";
            }
            Diff loop = Diff.of(sluiceOut, loopOut);
            if (loop != null) {
                System.out.println("CHECK MISMATCH " + c + " events=" + n + ": sluice and the loop differ\n"
                        + loop.describe("sluice", "loop"));
                verdict = "mismatch";
            }
            if (engines != null || loop != null) {
                Path kept = Files.createTempDirectory("sluice-nexmark-mismatch-");
                for (Path f : List.of(sluiceOut, flinkOut, loopOut)) {
                    Files.copy(f, kept.resolve(f.getFileName()));
                }
                System.out.println("  the three files are kept in " + kept);
            }
        }
        System.out.println("CHECK " + c + " events=" + n + " sluice_results=" + (sluice == null ? "na" : sluice.results())
                + " flink_results=" + (flink == null ? "na" : flink.results()) + " result=" + verdict);
        Files.deleteIfExists(sluiceOut);
        Files.deleteIfExists(flinkOut);
        return verdict;
    }

    /**
     * Runs one job process to its end and prints its {@code NEXMARK} line (with the peak RSS measured outside,
     * {@code time_rss_mb}, appended when {@code /usr/bin/time} is there); {@code null} (and the process's last output)
     * if it failed.
     */
    private static Run run(Setup setup, String engine, List<String> command, Path checkpoints)
            throws IOException, InterruptedException {
        Path rssFile = setup.work.resolve("rss.txt");
        Path errFile = setup.work.resolve("stderr.txt");
        Files.deleteIfExists(rssFile);
        List<String> cmd = new ArrayList<>();
        if (setup.time) {
            cmd.addAll(List.of(TIME.toString(), "-f", "%M", "-o", rssFile.toString()));
        }
        cmd.addAll(command);
        if (checkpoints != null) {
            deleteRecursively(checkpoints);
        }
        Process process = new ProcessBuilder(cmd).redirectErrorStream(false)
                .redirectError(errFile.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        String line = null;
        List<String> tail = new ArrayList<>();
        List<String> out = new ArrayList<>();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    synchronized (out) {
                        out.add(l);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        boolean done = process.waitFor(setup.options.runTimeoutSeconds, TimeUnit.SECONDS);
        if (!done) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor();
        }
        reader.join(10_000);
        synchronized (out) {
            for (String l : out) {
                if (l.startsWith("NEXMARK ")) {
                    line = l;
                } else {
                    tail.add(l);
                }
            }
        }
        if (checkpoints != null) {
            deleteRecursively(checkpoints);
        }
        int exit = process.exitValue();
        if (!done || exit != 0 || line == null) {
            System.out.println("FAILED " + engine + " run (" + (!done ? "timed out after " + setup.options.runTimeoutSeconds
                    + " s" : "exit " + exit + (line == null ? ", no NEXMARK line" : "")) + "): " + String.join(" ", command));
            for (String l : lastLines(tail, 5)) {
                System.out.println("  out: " + l);
            }
            if (Files.exists(errFile)) { // the messages and "Caused by"s, not the stack frames
                List<String> err = Files.readAllLines(errFile, StandardCharsets.UTF_8).stream()
                        .filter(l -> !l.startsWith("\tat ") && !l.startsWith("\t... ")).toList();
                for (String l : lastLines(err, 15)) {
                    System.out.println("  err: " + l);
                }
            }
            return null;
        }
        long rssKb = -1;
        if (setup.time && Files.exists(rssFile)) {
            List<String> rss = Files.readAllLines(rssFile, StandardCharsets.UTF_8);
            for (String l : rss) {
                if (l.trim().matches("[0-9]+")) {
                    rssKb = Long.parseLong(l.trim());
                }
            }
        }
        Run run;
        try {
            run = Run.of(line, rssKb);
        } catch (RuntimeException e) {
            System.out.println("FAILED " + engine + " run: unreadable line: " + line);
            return null;
        }
        System.out.println(rssKb >= 0 ? line + " time_rss_mb=" + run.rssMb() : line);
        return run;
    }

    private static List<String> lastLines(List<String> lines, int n) {
        return lines.subList(Math.max(0, lines.size() - n), lines.size());
    }

    /** The entries as they are, but the project's own jars ({@code sluice-*}) copied into {@code dir}. */
    private static List<String> snapshot(List<String> classpath, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<String> entries = new ArrayList<>();
        for (String entry : classpath) {
            Path p = Path.of(entry);
            if (p.getFileName().toString().startsWith("sluice-") && Files.isRegularFile(p)) {
                Path copy = dir.resolve(p.getFileName());
                Files.copy(p, copy, StandardCopyOption.REPLACE_EXISTING);
                entries.add(copy.toString());
            } else {
                entries.add(entry);
            }
        }
        return entries;
    }

    /** A command with the long classpath shortened, for the header. */
    private static String shorten(List<String> command, Path root, Path work) {
        List<String> shown = new ArrayList<>(command);
        int cp = shown.indexOf("-cp");
        if (cp >= 0) {
            String[] entries = shown.get(cp + 1).split(":");
            shown.set(cp + 1, "<" + entries.length + " jars: " + Path.of(entries[0]).getFileName() + ", ...; "
                    + "the project's own copied to a temporary directory>");
        }
        return String.join(" ", shown).replace(work.toString(), "$TMP");
    }

    private static String commit(Path root) {
        try {
            String head = exec(root, "git", "rev-parse", "--short", "HEAD");
            String dirty = exec(root, "git", "status", "--porcelain", "--untracked-files=no");
            return head + (dirty.isBlank() ? "" : " (with uncommitted changes)");
        } catch (IOException | InterruptedException e) {
            return "unknown";
        }
    }

    private static String machine() {
        String cpu = "?";
        long memKb = -1;
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
            memKb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(-1L);
        } catch (IOException | RuntimeException e) {
            // not Linux: leave the unknowns
        }
        return String.format(Locale.ROOT, "%d cores (%s), %.1f GiB", Runtime.getRuntime().availableProcessors(), cpu,
                memKb / 1024.0 / 1024.0);
    }

    private static String exec(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + ": " + out);
        }
        return out;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
