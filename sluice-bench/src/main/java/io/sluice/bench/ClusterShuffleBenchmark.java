package io.sluice.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The keyed count ({@link KeyedCountJob}) at parallelism 2 on a local cluster of 2 workers with 1 slot each (so about
 * half the records cross between the worker processes through the data plane) beside the same job on the embedded
 * cluster, alternating; records per second from the job's time as its client reports it (from deployment to the end,
 * JVM start-up excluded). Prints each run and the medians. Reported, never asserted.
 *
 * <p>{@code bin/sluice bench cluster-shuffle [records] [rounds] [keys]} (defaults 100,000,000, 3, 1,000,000).
 */
public final class ClusterShuffleBenchmark {
    private static final Pattern FINISHED = Pattern.compile("Job 'keyed count' finished in ([0-9.]+) s");

    private ClusterShuffleBenchmark() {}

    public static void main(String[] args) throws Exception {
        String[] a = BenchSupport.positional(args);
        long records = a.length > 0 ? Long.parseLong(a[0]) : 100_000_000L;
        int rounds = a.length > 1 ? Integer.parseInt(a[1]) : 3;
        long keys = a.length > 2 ? Long.parseLong(a[2]) : 1_000_000L;
        Path root = Path.of(System.getProperty("sluice.root", ".")).toAbsolutePath().normalize();
        Path work = Files.createTempDirectory("sluice-cluster-shuffle-");
        Path cluster = work.resolve("cluster");
        String jar = root.resolve("sluice-bench/target/sluice-bench.jar").toString();
        System.out.println("cluster shuffle: keyed count of " + records + " records over " + keys + " keys, parallelism 2; "
                + "2 workers x 1 slot vs embedded, " + rounds + " rounds; " + BenchSupport.machine());
        List<Double> onCluster = new ArrayList<>();
        List<Double> embedded = new ArrayList<>();
        try {
            cli(root, "-Xmx256m", "cluster", "start", "--workers", "2", "--slots", "1", "--memory", "4g", "--dir",
                    cluster.toString());
            for (int r = 0; r < rounds; r++) {
                double c = records / seconds(cli(root, "-Xmx256m", "run", KeyedCountJob.class.getName(), "--jar", jar,
                        "--parallelism", "2", "--progress-interval", "0", "--cluster", cluster.toString(),
                        Long.toString(records), Long.toString(keys)));
                double e = records / seconds(cli(root, "-Xmx1843m", "run", KeyedCountJob.class.getName(), "--jar", jar,
                        "--parallelism", "2", "--progress-interval", "0", Long.toString(records), Long.toString(keys)));
                onCluster.add(c);
                embedded.add(e);
                System.out.printf(Locale.ROOT, "round %d: 2 workers %.2f M records/s (%.0f MB/s of 16-byte records), "
                        + "embedded %.2f M records/s, ratio %.2f%n", r + 1, c / 1e6, c * 16 / 1e6, e / 1e6, c / e);
            }
            double c = BenchSupport.median(onCluster);
            double e = BenchSupport.median(embedded);
            System.out.printf(Locale.ROOT, "median: 2 workers %.2f M records/s, embedded %.2f M records/s, ratio %.2f%n",
                    c / 1e6, e / 1e6, c / e);
        } finally {
            try {
                cli(root, "-Xmx256m", "cluster", "stop", "--dir", cluster.toString());
            } catch (IOException e) {
                System.out.println("stopping the cluster: " + e.getMessage());
            }
            BenchSupport.deleteRecursively(work);
        }
    }

    private static double seconds(String output) throws IOException {
        Matcher m = FINISHED.matcher(output);
        if (!m.find()) {
            throw new IOException("no job time in: " + output);
        }
        return Double.parseDouble(m.group(1));
    }

    private static String cli(Path root, String heap, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), heap,
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-cp",
                root.resolve("sluice-cli/target/sluice-cli.jar") + ":" + root.resolve("sluice-cli/target/lib/*"),
                "io.sluice.cli.Main"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", args) + " failed: " + out);
        }
        return out;
    }
}
