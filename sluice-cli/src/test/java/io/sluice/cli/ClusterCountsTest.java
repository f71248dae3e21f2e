package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.cli.cluster.ClusterTarget;
import io.sluice.cluster.client.ClusterClient;
import io.sluice.cluster.local.ClusterFile;
import io.sluice.cluster.protocol.JobMessages.JobInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code counts} job with a transactional file sink on a local cluster of separate processes: submitted with
 * {@code --cluster}, its main runs on the coordinator, each attempt on a worker. The worker running it is killed with
 * SIGKILL at 5 seeded moments (each after the attempt completed a checkpoint; a fresh worker is added after each);
 * every restart restores the latest completed checkpoint on a remaining worker, and the committed output is exactly
 * the oracle's (0 lost, 0 duplicated). With heap state, and with RocksDB and incremental checkpoints. Every process is
 * killed on every path.
 */
class ClusterCountsTest {
    private static final long SEED = 14L;
    private static final int KILLS = 5;

    @ParameterizedTest(name = "{0}, placement {1}")
    @CsvSource({"heap, job", "rocksdb, job", "heap, tasks", "rocksdb, tasks"})
    @Timeout(240)
    void workersKilledAtSeededMomentsRestartTheJobWithExactOutput(String backend, String placement, @TempDir Path tmp)
            throws Exception {
        long seed = SEED + backend.length() + placement.length();
        // Spread: 3 workers of 1 slot, parallelism 2, so the tasks of an attempt run on two workers with a third spare.
        boolean spread = placement.equals("tasks");
        Random random = new Random(seed);
        Path dir = tmp.resolve("cluster");
        Path input = tmp.resolve("in.txt");
        Path output = tmp.resolve("out");
        Path checkpoints = tmp.resolve("ckp");
        Map<String, Integer> oracle = CountsOracle.writeInput(input, seed, 24_000);
        List<Long> pids = new ArrayList<>();
        ExecutorService client = Executors.newSingleThreadExecutor();
        String context = "seed " + seed + ", " + backend + ", placement " + placement + ", " + KILLS + " workers killed";
        String slots = spread ? "1" : "2";
        try {
            assertEquals(0, Main.execute("cluster", "start", "--workers", spread ? "3" : "2", "--slots", slots, "--dir",
                    dir.toString(), "--placement", placement));
            ClusterFile cluster = ClusterFile.read(dir);
            cluster.workers().forEach(w -> pids.add(w.pid()));
            pids.add(cluster.coordinatorPid());

            List<String> args = new ArrayList<>(List.of("run", "counts", "--input", input.toString(),
                    "--output", output.toString(), "--checkpoint-interval", "150ms", "--checkpoint-dir", checkpoints.toString(),
                    "--parallelism", "2", "--rate", "2500", "--progress-interval", "0", "--state-backend", backend,
                    "--restart-attempts", "10", "--restart-delay", "100ms",
                    "--cluster", dir.toString()));
            if (backend.equals("rocksdb")) {
                args.addAll(List.of("--state-option", "rocksdb.incremental=true"));
            }
            Future<Integer> run = client.submit(() -> Main.execute(args.toArray(String[]::new)));

            try (ClusterClient coordinator = ClusterTarget.resolve(dir.toString(), Path.of("unused"), null).connect()) {
                for (int kill = 0; kill < KILLS; kill++) {
                    int attempt = kill;
                    long checkpointsBefore = LocalClusters.completedCheckpoints(checkpoints);
                    // A seeded moment: once attempt `kill` runs and completed a checkpoint of its own, 0-600 ms later.
                    LocalClusters.awaitTrue(() -> run.isDone() || running(coordinator, attempt) != null
                            && LocalClusters.completedCheckpoints(checkpoints) > checkpointsBefore, 60,
                            "attempt " + attempt + " runs and completes a checkpoint (" + context + ")");
                    Thread.sleep(random.nextInt(600));
                    JobInfo job = running(coordinator, attempt);
                    if (job == null || run.isDone()) {
                        break; // the job ended first: fewer kills, still checked below
                    }
                    ClusterFile now = ClusterFile.read(dir);
                    List<String> running = List.of(job.worker().split(","));
                    String victim = running.get(random.nextInt(running.size()));
                    ProcessHandle.of(now.workers().stream().filter(w -> w.id().equals(victim)).findFirst()
                            .orElseThrow().pid()).orElseThrow().destroyForcibly(); // SIGKILL
                    assertEquals(0, Main.execute("cluster", "add-worker", "--slots", slots, "--dir", dir.toString()),
                            "a fresh worker");
                    pids.add(ClusterFile.read(dir).workers().getLast().pid());
                }
                assertEquals(0, run.get(120, TimeUnit.SECONDS), "the client follows the job to its end (" + context + ")");
                JobInfo done = coordinator.jobs().getFirst();
                assertEquals("FINISHED", done.state(), done.toString());
                assertTrue(done.restarts() >= 3, "restarts after the workers' losses: " + done + " (" + context + ")");
                String log = Files.readString(dir.resolve("logs/coordinator.log"));
                assertEquals(done.restarts(), log.lines().filter(l -> l.contains("deployed to") && l.contains(", restoring "
                        + checkpoints.toAbsolutePath())).count(), "every restart restored a checkpoint: " + log);
            }
            CountsOracle.checkCommitted(oracle, output, context);
        } finally {
            client.shutdownNow();
            if (Files.exists(dir.resolve(ClusterFile.NAME))) {
                Main.execute("cluster", "stop", "--dir", dir.toString());
            }
            for (long pid : pids) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    /** The job if its attempt number {@code attempt} runs (the attempt is its restarts count), else {@code null}. */
    private static JobInfo running(ClusterClient coordinator, int attempt) {
        try {
            return coordinator.jobs().stream().filter(j -> j.state().equals("RUNNING") && j.restarts() == attempt)
                    .findFirst().orElse(null);
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
