package io.sluice.bench;

import io.sluice.cluster.client.ClusterClient;
import io.sluice.cluster.local.ClusterFile;
import io.sluice.cluster.protocol.JobMessages.JobInfo;
import io.sluice.network.ClusterToken;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The time from a worker's SIGKILL to the restarted job: a local cluster of 3 workers with 1 slot each runs the
 * {@code counts} job at parallelism 2 (checkpoints every second, restart delay 0) on rate-limited input; each round
 * kills one worker running it and measures, from the kill, (a) when the coordinator shows the job running again (its
 * tasks deployed on the workers that remain and started, from the latest completed checkpoint) and (b) when the first
 * output of the restarted attempt reaches the sink (a sink file that did not exist at (a) gets its first byte). A
 * fresh worker is added after each kill. Prints each round and the medians. Reported, never asserted.
 *
 * <p>{@code bin/sluice bench failover [rounds]} (default 5). Starts its processes with the CLI's jars
 * ({@code sluice-cli/target}) and stops them on every path.
 */
public final class FailoverBenchmark {

    private FailoverBenchmark() {}

    public static void main(String[] args) throws Exception {
        String[] a = BenchSupport.positional(args);
        int rounds = a.length > 0 ? Integer.parseInt(a[0]) : 5;
        Path root = Path.of(System.getProperty("sluice.root", ".")).toAbsolutePath().normalize();
        Path work = Files.createTempDirectory("sluice-failover-");
        Path cluster = work.resolve("cluster");
        System.out.println("failover: " + rounds + " rounds; 3 workers x 1 slot, counts at parallelism 2, checkpoints every 1 s, "
                + "restart delay 0; " + BenchSupport.machine());
        List<Double> toRunning = new ArrayList<>();
        List<Double> toOutput = new ArrayList<>();
        Process client = null;
        try {
            Path input = writeInput(work.resolve("in.txt"), 2_000_000);
            cli(root, "cluster", "start", "--workers", "3", "--slots", "1", "--dir", cluster.toString());
            client = new ProcessBuilder(command(root, "run", "counts", "--input", input.toString(), "--output",
                    work.resolve("out").toString(), "--checkpoint-interval", "1s", "--checkpoint-dir",
                    work.resolve("ckp").toString(), "--parallelism", "2", "--rate", "20000", "--restart-attempts", "100",
                    "--restart-delay", "0ms", "--progress-interval", "0", "--cluster", cluster.toString()))
                    .redirectErrorStream(true).redirectOutput(work.resolve("client.log").toFile()).start();
            int restarts = 0;
            ClusterFile described = ClusterFile.read(cluster);
            try (ClusterClient coordinator = new ClusterClient(described.coordinatorHost(), described.coordinatorPort(),
                    ClusterToken.read(Path.of(described.tokenFile())), java.util.Optional.empty())) {
            for (int round = 0; round < rounds; round++) {
                String[] job = awaitRunning(coordinator, restarts, 60);
                Thread.sleep(2_500); // a checkpoint or two of this attempt
                long pid = ClusterFile.read(cluster).workers().stream().filter(w -> w.id().equals(job[1].split(",")[0]))
                        .findFirst().orElseThrow().pid();
                // Sink files that exist now are the killed attempt's (a new one starts per checkpoint): the restarted
                // attempt's first output is the first byte of a file not among them.
                Map<String, Long> before = files(work.resolve("out"));
                long kill = System.nanoTime();
                ProcessHandle.of(pid).orElseThrow().destroyForcibly();
                restarts++;
                awaitRunning(coordinator, restarts, 60);
                long running = System.nanoTime();
                long output = awaitNewOutput(work.resolve("out"), before, 30);
                double r = (running - kill) / 1e6;
                double o = (output - kill) / 1e6;
                toRunning.add(r);
                toOutput.add(o);
                System.out.printf("round %d: killed %s; running again after %.0f ms, first output after %.0f ms%n", round + 1,
                        job[1].split(",")[0], r, o);
                cli(root, "cluster", "add-worker", "--slots", "1", "--dir", cluster.toString());
            }
            }
            System.out.printf("median: running again %.0f ms (%.0f-%.0f), first output %.0f ms (%.0f-%.0f) after SIGKILL%n",
                    BenchSupport.median(toRunning), BenchSupport.min(toRunning), BenchSupport.max(toRunning),
                    BenchSupport.median(toOutput), BenchSupport.min(toOutput), BenchSupport.max(toOutput));
        } finally {
            if (client != null) {
                client.destroyForcibly();
            }
            try {
                cli(root, "cluster", "stop", "--dir", cluster.toString());
            } catch (IOException e) {
                System.out.println("stopping the cluster: " + e.getMessage());
            }
            BenchSupport.deleteRecursively(work);
        }
    }

    private static Path writeInput(Path file, int lines) throws IOException {
        Random random = new Random(7);
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < lines; i++) {
                out.write("w" + random.nextInt(50_000) + " w" + random.nextInt(50_000) + "\n");
            }
        }
        return file;
    }

    private static List<String> command(Path root, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "--sun-misc-unsafe-memory-access=allow", "-cp",
                root.resolve("sluice-cli/target/sluice-cli.jar") + ":" + root.resolve("sluice-cli/target/lib/*"),
                "io.sluice.cli.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Runs a CLI command to its end; its output, or a failure with it. */
    private static String cli(Path root, String... args) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command(root, args)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    /** Polls the coordinator until the job runs with {@code restarts} restarts: its id and workers. */
    private static String[] awaitRunning(ClusterClient coordinator, int restarts, int seconds)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            for (JobInfo job : coordinator.jobs()) {
                if (job.state().equals("RUNNING") && job.restarts() == restarts) {
                    return new String[] {job.jobId(), job.worker()};
                }
            }
            Thread.sleep(1);
        }
        throw new IOException("the job did not run with " + restarts + " restarts within " + seconds + " s");
    }

    private static Map<String, Long> files(Path dir) throws IOException {
        Map<String, Long> sizes = new HashMap<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    sizes.put(f.getFileName().toString(), Files.size(f));
                }
            }
        }
        return sizes;
    }

    /** Polls until a file that was not in {@code before} has a byte; when. */
    private static long awaitNewOutput(Path dir, Map<String, Long> before, int seconds)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            try {
                for (Map.Entry<String, Long> f : files(dir).entrySet()) {
                    if (!before.containsKey(f.getKey()) && f.getValue() > 0) {
                        return System.nanoTime();
                    }
                }
            } catch (IOException racing) {
                // a file renamed while listed: look again
            }
            Thread.sleep(1);
        }
        throw new IOException("no new output within " + seconds + " s");
    }
}
