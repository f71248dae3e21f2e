package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.cli.cluster.ClusterTarget;
import io.sluice.cluster.client.ClusterClient;
import io.sluice.cluster.local.ClusterFile;
import io.sluice.cluster.protocol.JobMessages.JobInfo;
import io.sluice.runtime.checkpoint.storage.FileSystemCheckpointStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code counts} job with a transactional file sink on a local cluster of separate processes: submitted with
 * {@code --cluster}, its main runs on the coordinator, its attempt on a worker; the worker is killed with SIGKILL
 * after a checkpoint completed, the job restarts on the other worker from its latest completed checkpoint, and the
 * committed output is exactly the oracle's (0 lost, 0 duplicated). Every process is killed on every path.
 */
class ClusterCountsTest {
    private static final long SEED = 14L;

    @Test
    @Timeout(180)
    void aKilledWorkersJobRestartsElsewhereWithExactOutput(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("cluster");
        Path input = tmp.resolve("in.txt");
        Path output = tmp.resolve("out");
        Path checkpoints = tmp.resolve("ckp");
        Map<String, Integer> oracle = CountsOracle.writeInput(input, SEED, 12_000);
        List<Long> pids = new ArrayList<>();
        ExecutorService client = Executors.newSingleThreadExecutor();
        try {
            assertEquals(0, Main.execute("cluster", "start", "--workers", "2", "--slots", "2", "--dir", dir.toString()));
            ClusterFile cluster = ClusterFile.read(dir);
            cluster.workers().forEach(w -> pids.add(w.pid()));
            pids.add(cluster.coordinatorPid());

            Future<Integer> run = client.submit(() -> Main.execute("run", "counts", "--input", input.toString(),
                    "--output", output.toString(), "--checkpoint-interval", "200ms", "--checkpoint-dir", checkpoints.toString(),
                    "--parallelism", "2", "--rate", "3000", "--progress-interval", "0", "--cluster", dir.toString()));

            try (ClusterClient coordinator = ClusterTarget.resolve(dir.toString(), Path.of("unused")).connect()) {
                awaitTrue(() -> running(coordinator) != null && completedCheckpoint(checkpoints), 60,
                        "the job runs and completes a checkpoint");
                JobInfo job = running(coordinator);
                long victim = cluster.workers().stream().filter(w -> w.id().equals(job.worker())).findFirst()
                        .orElseThrow().pid();
                ProcessHandle.of(victim).orElseThrow().destroyForcibly(); // SIGKILL

                assertEquals(0, run.get(120, TimeUnit.SECONDS), "the client follows the job to its end");
                JobInfo done = coordinator.jobs().getFirst();
                assertEquals("FINISHED", done.state(), done.toString());
                assertEquals(1, done.restarts(), "one restart, after the worker's loss: " + done);
            }
            CountsOracle.checkCommitted(oracle, output, "seed " + SEED + ", worker killed once");
            String log = Files.readString(dir.resolve("logs/coordinator.log"));
            assertTrue(log.contains("attempt 1 deployed to") && log.contains("restoring " + checkpoints.toAbsolutePath()),
                    "the second attempt restored a checkpoint of the job: " + log);
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

    private static JobInfo running(ClusterClient coordinator) {
        try {
            return coordinator.jobs().stream().filter(j -> j.state().equals("RUNNING")).findFirst().orElse(null);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static boolean completedCheckpoint(Path checkpoints) {
        try {
            return Files.isDirectory(checkpoints) && new FileSystemCheckpointStorage(checkpoints).latestCompletedId().isPresent();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static void awaitTrue(BooleanSupplier condition, int seconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what + " within " + seconds + " s");
            Thread.sleep(50);
        }
    }
}
