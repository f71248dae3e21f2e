package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.cluster.client.ClusterClient;
import io.sluice.cluster.local.ClusterFile;
import io.sluice.cluster.protocol.JobMessages.JobInfo;
import io.sluice.connectors.file.TransactionalFileSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator of a local cluster killed (SIGKILL) while the {@code counts} job runs on one of its two workers:
 * every worker stops its tasks and exits within the heartbeat timeout (5 s; 10 s allowed), so no orphan task writes
 * output afterwards; a new cluster started in the same directory runs the job resumed with
 * {@code --from-checkpoint latest}, and the committed output is exactly the oracle's. Every process is killed on every
 * path.
 */
class ClusterCoordinatorLossTest {
    private static final long SEED = 1414L;

    @Test
    @Timeout(180)
    void workersStopWhenTheCoordinatorIsKilledAndTheJobResumesOnANewCluster(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("cluster");
        Path input = tmp.resolve("in.txt");
        Path output = tmp.resolve("out");
        Path checkpoints = tmp.resolve("ckp");
        Map<String, Integer> oracle = CountsOracle.writeInput(input, SEED, 24_000);
        List<String> job = List.of("run", "counts", "--input", input.toString(), "--output", output.toString(),
                "--checkpoint-interval", "200ms", "--checkpoint-dir", checkpoints.toString(), "--parallelism", "2",
                "--progress-interval", "0", "--cluster", dir.toString());
        try (LocalClusters clusters = new LocalClusters()) {
            ClusterFile first = clusters.start(dir, 2, 2);
            MainTest.Result submitted = MainTest.run(Stream.concat(job.stream(),
                    Stream.of("--rate", "2000", "--detached")).toArray(String[]::new));
            assertEquals(0, submitted.exit(), submitted.toString());
            String jobId = submitted.out().strip();
            try (ClusterClient client = LocalClusters.client(dir)) {
                LocalClusters.awaitTrue(() -> {
                    JobInfo j = LocalClusters.job(client, jobId);
                    return j != null && j.state().equals("RUNNING") && LocalClusters.completedCheckpoints(checkpoints) >= 2;
                }, 60, "job " + jobId + " runs and completes 2 checkpoints");
                assertEquals("RUNNING", client.job(jobId).state(), "the job still runs when its coordinator is killed");
            }

            ProcessHandle coordinator = ProcessHandle.of(first.coordinatorPid()).orElseThrow();
            coordinator.destroyForcibly(); // SIGKILL
            long killed = System.nanoTime();
            coordinator.onExit().join();
            LocalClusters.awaitTrue(() -> first.workers().stream().noneMatch(w -> LocalClusters.alive(w.pid())), 10,
                    "every worker exits once its coordinator is gone");
            long stoppedMillis = (System.nanoTime() - killed) / 1_000_000;
            String stopLine = "Stopping job " + jobId + " attempt 0 (its checkpoints are kept): ";
            List<String> stops = first.workers().stream().flatMap(w -> read(Path.of(w.log())).lines())
                    .filter(l -> l.contains(stopLine)).toList();
            assertTrue(!stops.isEmpty() && stops.stream().allMatch(l -> l.endsWith("the control stream broke")
                    || l.endsWith("the coordinator is gone")), "the worker running the job stopped it when its "
                    + "coordinator went away: " + stops);
            assertTrue(LocalClusters.completedCheckpoints(checkpoints) >= 2, "the stopped job's checkpoints are kept");

            Map<String, Long> files = outputFiles(output);
            long committedBefore = TransactionalFileSink.readCommitted(output).size();
            assertTrue(committedBefore < CountsOracle.expectedLines(oracle),
                    "the job was cut short (" + committedBefore + " lines committed)");
            Thread.sleep(1_500);
            assertEquals(files, outputFiles(output), "no orphan task writes output after the workers stopped ("
                    + stoppedMillis + " ms after the kill)");

            ClusterFile second = clusters.start(dir, 2, 2);
            assertNotEquals(first.coordinatorPid(), second.coordinatorPid());
            assertNotEquals(first.coordinator(), second.coordinator(), "a new coordinator, at its own address");
            MainTest.Result resumed = MainTest.run(Stream.concat(job.stream(),
                    Stream.of("--from-checkpoint", "latest")).toArray(String[]::new));
            assertEquals(0, resumed.exit(), resumed.toString());
            assertTrue(resumed.out().contains("Job 'counts' finished"), resumed.toString());
            CountsOracle.checkCommitted(oracle, output, "resumed on a new cluster after the coordinator was killed, "
                    + committedBefore + " lines committed before");
            String log = read(dir.resolve("logs/coordinator.log"));
            assertTrue(log.contains(", restoring " + checkpoints.toAbsolutePath().resolve("chk-")),
                    "the new coordinator deployed the job from a checkpoint: " + log);
        }
    }

    /** The output's files with their sizes. */
    private static Map<String, Long> outputFiles(Path output) throws IOException {
        Map<String, Long> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(output)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(output.relativize(p).toString(), Files.size(p));
            }
        }
        return files;
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log " + log + ": " + e.getMessage() + ")";
        }
    }
}
