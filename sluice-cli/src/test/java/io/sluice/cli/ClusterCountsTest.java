package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.cli.cluster.ClusterTarget;
import io.sluice.cluster.client.ClusterClient;
import io.sluice.cluster.local.ClusterFile;
import io.sluice.cluster.protocol.JobMessages.JobInfo;
import io.sluice.connectors.file.TransactionalFileSink;
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
 * SIGKILL at 5 seeded moments (each 0-600 ms after the attempt completed a checkpoint of its own; a fresh worker is
 * added after each); every restart restores the latest completed checkpoint on a remaining worker, and the committed
 * output is exactly the oracle's (0 lost, 0 duplicated). With heap state, and with RocksDB and incremental
 * checkpoints. Every process is killed on every path.
 *
 * <p>The job is {@link HeldCountsJob}, {@code counts} with its source held at its end until the test has made all 5
 * kills. The job reads at a fixed rate while each kill waits for a checkpoint of the new attempt, a seeded delay and
 * a fresh worker process, all of which take longer on a slow or busy machine: with {@code counts} free to end, 5 kills
 * took about as long as the whole input here (in one run the last kill came after the job had read everything), and
 * the job once finished after 2 kills. Held, it cannot end before the last kill, and the test makes every kill.
 */
class ClusterCountsTest {
    private static final long SEED = 14L;
    private static final int KILLS = 5;
    /**
     * The input: {@value #LINES} lines read at {@value #LINES_PER_SECOND} per second, about 16 s, so that the kills
     * (about 2 s apart here: a checkpoint of the new attempt, up to 600 ms, a fresh worker process) mostly hit a job
     * still reading; on a slower machine the later ones may come once it read everything, which the held source
     * allows.
     */
    private static final int LINES = 24_000;
    private static final int LINES_PER_SECOND = 1_500;

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
        Path release = tmp.resolve("release");
        Map<String, Integer> oracle = CountsOracle.writeInput(input, seed, LINES);
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

            List<String> args = new ArrayList<>(List.of("run", HeldCountsJob.class.getName(), "--input", input.toString(),
                    "--output", output.toString(), "--release", release.toString(), "--checkpoint-interval", "150ms",
                    "--checkpoint-dir", checkpoints.toString(),
                    "--parallelism", "2", "--rate", Integer.toString(LINES_PER_SECOND), "--progress-interval", "0", "--state-backend", backend,
                    "--restart-attempts", "10", "--restart-delay", "100ms",
                    "--cluster", dir.toString()));
            if (backend.equals("rocksdb")) {
                args.addAll(List.of("--state-option", "rocksdb.incremental=true"));
            }
            Future<Integer> run = client.submit(() -> Main.execute(args.toArray(String[]::new)));

            try (ClusterClient coordinator = ClusterTarget.resolve(dir.toString(), Path.of("unused"), null).connect()) {
                int restartsAtLastKill = -1;
                List<Integer> committedAtKills = new ArrayList<>(); // how far the job was, for the messages below
                for (int kill = 0; kill < KILLS; kill++) {
                    int before = restartsAtLastKill;
                    long checkpointsBefore = LocalClusters.completedCheckpoints(checkpoints);
                    // A seeded moment: once the attempt after the last kill runs and a checkpoint completed since
                    // (read here, after the fresh worker joined: one of that attempt), 0-600 ms later.
                    LocalClusters.awaitTrue(() -> run.isDone() || runningAfter(coordinator, before) != null
                            && LocalClusters.completedCheckpoints(checkpoints) > checkpointsBefore, 60,
                            "the attempt before kill " + (kill + 1) + " runs and completes a checkpoint (" + context + ")");
                    Thread.sleep(random.nextInt(600));
                    JobInfo job = runningAfter(coordinator, before);
                    assertTrue(job != null && !run.isDone(), "the job runs until it is released, so at kill "
                            + (kill + 1) + " too: " + (run.isDone() ? "the client returned" : "no attempt runs")
                            + " (" + context + ")");
                    restartsAtLastKill = job.restarts();
                    committedAtKills.add(TransactionalFileSink.readCommitted(output).size());
                    ClusterFile now = ClusterFile.read(dir);
                    List<String> running = List.of(job.worker().split(","));
                    String victim = running.get(random.nextInt(running.size()));
                    ProcessHandle.of(now.workers().stream().filter(w -> w.id().equals(victim)).findFirst()
                            .orElseThrow().pid()).orElseThrow().destroyForcibly(); // SIGKILL
                    assertEquals(0, Main.execute("cluster", "add-worker", "--slots", slots, "--dir", dir.toString()),
                            "a fresh worker");
                    pids.add(ClusterFile.read(dir).workers().getLast().pid());
                }
                Files.createFile(release); // every kill made: the job may end
                assertEquals(0, run.get(120, TimeUnit.SECONDS), "the client follows the job to its end (" + context + ")");
                JobInfo done = coordinator.jobs().getFirst();
                assertEquals("FINISHED", done.state(), done.toString());
                assertTrue(done.restarts() >= KILLS, "a restart after each worker's loss: " + done + " (" + context
                        + "; committed lines at each kill: " + committedAtKills + ")");
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

    /** The job if it runs an attempt after its {@code restarts}-th restart or a later one, else {@code null}. */
    private static JobInfo runningAfter(ClusterClient coordinator, int restarts) {
        try {
            return coordinator.jobs().stream().filter(j -> j.state().equals("RUNNING") && j.restarts() > restarts)
                    .findFirst().orElse(null);
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
