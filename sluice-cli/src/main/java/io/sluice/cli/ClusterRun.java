package io.sluice.cli;

import io.sluice.api.execution.JobResult;
import io.sluice.api.execution.OperatorMetrics;
import io.sluice.cli.cluster.ClusterTarget;
import io.sluice.cluster.client.ClusterClient;
import io.sluice.cluster.protocol.JobMessages.JobInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code bin/sluice run ... --cluster DIR|HOST:PORT}: submits the job to a cluster instead of running it here. The
 * client sends the command's own arguments (the coordinator runs the job's main with them, as Flink's application
 * mode) with paths made absolute, and uploads the jars given with {@code --jar} (once per content). With
 * {@code --detached} it prints the job's id and returns; otherwise it follows the job and ends as it does: the summary
 * and exit 0 when it finishes, the reason and exit 1 when it fails or is cancelled.
 */
final class ClusterRun {
    /** Options whose value is a path: made absolute here, so that the coordinator reads what the user meant. */
    private static final Set<String> PATH_OPTIONS = Set.of("--input", "--output", "--checkpoint-dir", "--from-checkpoint");
    /** Options only the client acts on. */
    private static final Set<String> CLIENT_OPTIONS = Set.of("--cluster", "--token-file", "--tls-dir", "--jar", "--savepoint-dir");
    private static final long POLL_MILLIS = 500;
    /** How long the client keeps trying a coordinator that stopped answering before it gives up following. */
    private static final long SILENCE_MILLIS = 30_000;

    private ClusterRun() {}

    static int run(JobOptions options, List<String> originalArgs, ClusterResultPrinter printer) throws Exception {
        List<String> argv = new ArrayList<>();
        List<Path> jars = new ArrayList<>();
        split(originalArgs, argv, jars);
        ClusterTarget target = ClusterTarget.resolve(options.cluster, options.tokenFile, options.tlsDir);
        try (ClusterClient client = target.connect()) {
            List<String> hashes = new ArrayList<>();
            for (Path jar : jars) {
                if (!java.nio.file.Files.isReadable(jar)) {
                    throw new IllegalArgumentException("cannot read the jar " + jar);
                }
                hashes.add(client.uploadJar(jar));
            }
            String jobId = client.submit(argv, hashes);
            if (options.detached) {
                System.out.println(jobId);
                return 0;
            }
            System.err.println("sluice: job " + jobId + " submitted to " + client.address());
            Thread hook = options.savepointDir == null ? null : stopHook(client, jobId, options.savepointDir);
            try {
                return follow(client, jobId, printer);
            } finally {
                if (hook != null) {
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    } catch (IllegalStateException shuttingDown) {
                        // the hook is running: it stops the job
                    }
                }
            }
        }
    }

    /**
     * The arguments after {@code run}, without the client's own options, and with path values absolute; the jars
     * named by {@code --jar}.
     */
    static void split(List<String> originalArgs, List<String> argv, List<Path> jars) {
        int start = originalArgs.indexOf("run") + 1;
        for (int i = start; i < originalArgs.size(); i++) {
            String arg = originalArgs.get(i);
            int eq = arg.indexOf('=');
            String name = arg.startsWith("--") && eq > 0 ? arg.substring(0, eq) : arg;
            boolean inline = !name.equals(arg);
            if (name.equals("--detached")) {
                continue;
            }
            if (CLIENT_OPTIONS.contains(name) || PATH_OPTIONS.contains(name)) {
                String value = inline ? arg.substring(eq + 1) : i + 1 < originalArgs.size() ? originalArgs.get(++i) : "";
                if (name.equals("--jar")) {
                    jars.add(Path.of(value).toAbsolutePath().normalize());
                } else if (PATH_OPTIONS.contains(name)) {
                    argv.add(name);
                    argv.add(value.equals("latest") ? value : Path.of(value).toAbsolutePath().normalize().toString());
                }
                continue;
            }
            argv.add(arg);
        }
    }

    private static Thread stopHook(ClusterClient client, String jobId, String savepointDir) {
        String dir = Path.of(savepointDir).toAbsolutePath().normalize().toString();
        Thread hook = new Thread(() -> {
            try {
                System.err.println("sluice: stopped with savepoint " + client.savepoint(jobId, dir, true));
            } catch (IOException e) {
                System.err.println("sluice: no savepoint: " + Main.oneLine(e));
            }
        }, "sluice: stop with savepoint");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    /** Polls the job until it ends, saying when it runs, restarts and ends. */
    private static int follow(ClusterClient client, String jobId, ClusterResultPrinter printer)
            throws IOException, InterruptedException {
        String said = "";
        long lastAnswer = System.nanoTime();
        while (true) {
            JobInfo job;
            try {
                job = client.job(jobId);
                lastAnswer = System.nanoTime();
            } catch (IOException e) {
                if ((System.nanoTime() - lastAnswer) / 1_000_000 > SILENCE_MILLIS) {
                    throw new IOException("lost the coordinator while following job " + jobId + " (it may still run; "
                            + "see 'bin/sluice list'): " + e.getMessage(), e);
                }
                Thread.sleep(POLL_MILLIS);
                continue;
            }
            String now = job.state() + "/" + job.worker() + "/" + job.restarts();
            if (!now.equals(said)) {
                said = now;
                switch (job.state()) {
                    case "RUNNING" -> System.err.println("sluice: job " + jobId + " runs on " + job.worker()
                            + (job.restarts() == 0 ? "" : " (restart " + job.restarts() + ")"));
                    case "RESTARTING" -> System.err.println("sluice: job " + jobId + " restarts: " + job.failure());
                    case "WAITING" -> System.err.println("sluice: job " + jobId + " waits for " + job.slots()
                            + " free slot(s)");
                    default -> { }
                }
            }
            switch (job.state()) {
                case "FINISHED" -> {
                    printer.printClusterResult(result(job));
                    return 0;
                }
                case "FAILED" -> throw new IllegalStateException("Job " + jobId + named(job) + " failed: " + job.failure());
                case "CANCELLED" -> throw new IllegalStateException("Job " + jobId + named(job) + " was cancelled");
                default -> Thread.sleep(POLL_MILLIS);
            }
        }
    }

    /** The job's name quoted after a space, or nothing before its main named it. */
    private static String named(JobInfo job) {
        return job.name().isEmpty() ? "" : " '" + job.name() + "'";
    }

    private static JobResult result(JobInfo job) {
        return new JobResult(job.name(), Duration.ofMillis(job.durationMillis()), job.operators().stream()
                .map(o -> new OperatorMetrics(o.nodeId(), o.name(), o.recordsIn(), o.recordsOut())).toList(), List.of());
    }
}
