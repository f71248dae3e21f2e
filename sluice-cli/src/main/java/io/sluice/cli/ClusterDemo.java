package io.sluice.cli;

import io.sluice.cli.cluster.ClusterTarget;
import io.sluice.cluster.client.ClusterClient;
import io.sluice.cluster.local.ClusterFile;
import io.sluice.cluster.protocol.JobMessages.JobInfo;
import io.sluice.connectors.file.TransactionalFileSink;
import io.sluice.examples.Words;
import io.sluice.runtime.checkpoint.storage.FileSystemCheckpointStorage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The demo's last part: a local cluster of separate processes (a coordinator and 2 workers on loopback) runs the
 * {@code counts} job with checkpoints; the worker running it is killed with SIGKILL and the job recovers on the other
 * worker from its latest completed checkpoint, with exactly-once committed output. The commands it runs are the ones
 * a user would type, printed as such; the cluster is stopped, and every process it started killed, on every path.
 */
final class ClusterDemo {
    private static final int LINES = 16_000;
    private static final int LINES_PER_SECOND = 5_000;
    /** Bounds on each wait: the demo fails rather than hangs. */
    private static final int WAIT_SECONDS = 60;

    private ClusterDemo() {}

    /** Runs the part in {@code dir} at {@code parallelism}; whether the committed output was exact. */
    static boolean run(Path dir, Map<String, Long> wordCounts, Path input, int parallelism) throws Exception {
        System.out.println("== 4. A local cluster of processes: a worker killed, the job recovers ==");
        System.out.println("Starts a coordinator and 2 workers as separate JVMs on loopback and submits the running word");
        System.out.println("counts (a transactional file sink, checkpoints every 200 ms) to it; the job's main runs on the");
        System.out.println("coordinator, the job on one worker. That worker is killed with SIGKILL: the coordinator sees its");
        System.out.println("control stream break and restarts the job on the other worker from the latest checkpoint.\n");
        Path cluster = dir.resolve("cluster");
        Path output = dir.resolve("cluster-committed");
        Path checkpoints = dir.resolve("cluster-checkpoints");
        List<Long> pids = new ArrayList<>();
        ExecutorService client = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sluice demo: cluster client");
            t.setDaemon(true);
            return t;
        });
        PrintStream err = System.err;
        try {
            if (command("cluster", "start", "--workers", "2", "--slots", Integer.toString(parallelism), "--dir",
                    cluster.toString()) != 0) {
                return false;
            }
            ClusterFile started = ClusterFile.read(cluster);
            started.workers().forEach(w -> pids.add(w.pid()));
            pids.add(started.coordinatorPid());
            String[] run = {"run", "counts", "--input", input.toString(), "--output", output.toString(),
                "--checkpoint-interval", "200ms", "--checkpoint-dir", checkpoints.toString(), "--parallelism",
                Integer.toString(parallelism), "--rate", Integer.toString(LINES_PER_SECOND), "--progress-interval", "0",
                "--cluster", cluster.toString()};
            System.out.println("$ bin/sluice " + String.join(" ", run));
            System.setErr(System.out); // the client's lines (submitted, runs on, restarts) among the demo's
            Future<Integer> job = client.submit(() -> Main.execute(run));
            if (!killTheWorkerRunningIt(cluster, checkpoints, job)) {
                return false;
            }
            int exit = job.get(WAIT_SECONDS, TimeUnit.SECONDS);
            System.setErr(err);
            int restarts;
            try (ClusterClient coordinator = ClusterTarget.resolve(cluster.toString(), Path.of("unused"), null).connect()) {
                restarts = coordinator.jobs().getFirst().restarts();
            }
            return exit == 0 && check(wordCounts, output, restarts);
        } catch (ExecutionException | TimeoutException e) {
            System.out.println("The job did not end well: " + Main.oneLine(e));
            return false;
        } finally {
            System.setErr(err);
            client.shutdownNow();
            if (Files.exists(cluster.resolve(ClusterFile.NAME))) {
                command("cluster", "stop", "--dir", cluster.toString());
            }
            for (long pid : pids) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly); // whatever the stop left
            }
            System.out.println();
        }
    }

    /** Writes the part's input: seeded lines of the demo's words; returns each word's count. */
    static Map<String, Long> writeInput(Path file, List<String> sourceLines) throws IOException {
        List<String> lines = sourceLines.subList(0, Math.min(LINES, sourceLines.size()));
        Files.write(file, lines);
        Map<String, Long> counts = new HashMap<>();
        for (String line : lines) {
            Words.split(line, w -> counts.merge(w, 1L, Long::sum));
        }
        return counts;
    }

    /** Prints and runs one command line; its exit code. */
    private static int command(String... args) {
        System.out.println("$ bin/sluice " + String.join(" ", args));
        return Main.execute(args);
    }

    /**
     * Once the job runs and completed 2 checkpoints, kills (SIGKILL) the worker it runs on; {@code false} if that
     * did not happen in time.
     */
    private static boolean killTheWorkerRunningIt(Path cluster, Path checkpoints, Future<Integer> job) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        try (ClusterClient coordinator = ClusterTarget.resolve(cluster.toString(), Path.of("unused"), null).connect()) {
            while (System.nanoTime() < deadline && !job.isDone()) {
                List<JobInfo> jobs = coordinator.jobs();
                long checkpoint = latestCheckpoint(checkpoints);
                if (!jobs.isEmpty() && jobs.getFirst().state().equals("RUNNING") && checkpoint >= 2) {
                    String worker = jobs.getFirst().worker();
                    long pid = ClusterFile.read(cluster).workers().stream().filter(w -> w.id().equals(worker))
                            .findFirst().orElseThrow().pid();
                    System.out.println("Killing " + worker + " (pid " + pid + ") with SIGKILL after checkpoint " + checkpoint
                            + ".");
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                    return true;
                }
                Thread.sleep(50);
            }
        }
        System.out.println("The job did not run and checkpoint within " + WAIT_SECONDS + " s.");
        return false;
    }

    private static long latestCheckpoint(Path checkpoints) throws IOException {
        return Files.isDirectory(checkpoints) ? new FileSystemCheckpointStorage(checkpoints).latestCompletedId().orElse(0) : 0;
    }

    /** Compares the committed lines with each word's 1..N computed in plain Java; prints the verdict. */
    private static boolean check(Map<String, Long> wordCounts, Path output, int restarts) throws IOException {
        Set<String> expected = new HashSet<>();
        wordCounts.forEach((w, n) -> {
            for (long i = 1; i <= n; i++) {
                expected.add(w + "\t" + i);
            }
        });
        List<String> committed = TransactionalFileSink.readCommitted(output);
        boolean ok = committed.size() == expected.size() && new HashSet<>(committed).equals(expected) && restarts >= 1;
        System.out.printf("Workers killed: 1; restarts: %d; committed lines: %,d; expected (each word's 1..N once): %,d; %s.%n",
                restarts, committed.size(), expected.size(), ok ? "exactly once" : "MISMATCH");
        return ok;
    }
}
