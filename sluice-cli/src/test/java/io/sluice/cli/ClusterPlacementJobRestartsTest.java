package io.sluice.cli;

import static io.sluice.cli.RestCluster.samples;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.cluster.client.ClusterClient;
import io.sluice.cluster.local.ClusterFile;
import io.sluice.cluster.protocol.JobMessages.JobInfo;
import io.sluice.web.PrometheusText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restarts of a job run whole on one worker ({@code --placement job}) count both kinds: those the worker's embedded
 * supervisor makes after a task failed, and those the coordinator makes after the worker running the job was lost.
 * On a local cluster of 2 worker processes, {@link FailsOnPurposeJob} fails its task {@value #FAILURES} times (its
 * marker files are the oracle: one per failure), then the test kills the worker running it (SIGKILL) and the job
 * goes on on the other: {@code restarts} is {@value #FAILURES} + 1 in the job's REST detail and list, the control
 * protocol's job info and {@code sluice_job_restarts_total}, while it runs and once it finished; its exceptions
 * name each failure and the loss. Every process is killed on every path.
 */
@Timeout(240)
class ClusterPlacementJobRestartsTest {
    private static final int FAILURES = 3;

    @Test
    void restartsCountTheWorkersSupervisorRestartsAndTheWorkersLoss(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("cluster");
        Path markers = Files.createDirectory(tmp.resolve("markers"));
        Path release = tmp.resolve("release");
        try (RestCluster c = RestCluster.start(dir, "--workers", "2", "--slots", "2", "--placement", "job")) {
            MainTest.Result submitted = MainTest.run("run", FailsOnPurposeJob.class.getName(), "--markers",
                    markers.toString(), "--failures", Integer.toString(FAILURES), "--release", release.toString(),
                    "--parallelism", "2", "--checkpoint-interval", "200ms", "--checkpoint-dir",
                    tmp.resolve("ckp").toString(), "--restart-attempts", "10", "--restart-delay", "100ms",
                    "--cluster", dir.toString(), "--detached");
            assertEquals(0, submitted.exit(), submitted.toString());
            String job = submitted.out().strip();
            String jobPath = "/v1/jobs/" + job;

            // The task failed FAILURES times (its markers say so) and the worker reported as many restarts.
            JsonNode failed = c.until(jobPath, d -> d.get("state").asText().equals("RUNNING")
                    && d.get("restarts").asInt() >= FAILURES);
            assertEquals(FAILURES, FailsOnPurposeJob.markers(markers), "the failures the job made");
            assertEquals(FAILURES, failed.get("restarts").asInt(), failed.toString());

            // Its worker lost: one more restart, by the coordinator, on the other worker.
            String victim = failed.get("worker").asText();
            ClusterFile.WorkerEntry entry = c.cluster().workers().stream().filter(w -> w.id().equals(victim))
                    .findFirst().orElseThrow(() -> new AssertionError("no worker " + victim + " in cluster.json"));
            ProcessHandle.of(entry.pid()).orElseThrow(() -> new AssertionError(victim + " is not running"))
                    .destroyForcibly();
            JsonNode moved = c.until(jobPath, d -> d.get("state").asText().equals("RUNNING")
                    && !d.get("worker").asText().isEmpty() && !d.get("worker").asText().equals(victim));
            assertEquals(FAILURES + 1, moved.get("restarts").asInt(), moved.toString());
            assertRestarts(c, dir, job, FAILURES + 1);

            Files.createFile(release);
            JsonNode done = c.until(jobPath, d -> d.get("state").asText().equals("FINISHED"));
            assertEquals(FAILURES + 1, done.get("restarts").asInt(), done.toString());
            assertEquals(FAILURES, FailsOnPurposeJob.markers(markers), "no failure after the last marker");
            assertRestarts(c, dir, job, FAILURES + 1);

            List<String> exceptions = new ArrayList<>();
            c.get(jobPath + "/exceptions").get("exceptions").forEach(e -> exceptions.add(e.get("message").asText()));
            assertEquals(FAILURES, exceptions.stream().filter(m -> m.contains("injected failure")).count(),
                    exceptions.toString());
            assertEquals(1, exceptions.stream().filter(m -> m.startsWith("worker " + victim + " was lost")).count(),
                    exceptions.toString());
        }
    }

    /** The job list, the control protocol and {@code /metrics} agree on {@code expected} restarts. */
    private static void assertRestarts(RestCluster c, Path dir, String job, int expected) throws Exception {
        JsonNode listed = null;
        for (JsonNode j : c.get("/v1/jobs").get("jobs")) {
            if (j.get("id").asText().equals(job)) {
                listed = j;
            }
        }
        assertEquals(expected, listed == null ? -1 : listed.get("restarts").asInt(), "/v1/jobs lists " + listed);
        try (ClusterClient client = LocalClusters.client(dir)) {
            JobInfo info = client.job(job);
            assertEquals(expected, info.restarts(), info.toString());
        }
        List<PrometheusText.Sample> metrics = c.metricsUntil(s -> true);
        List<PrometheusText.Sample> restarts = samples(metrics, "sluice_job_restarts_total", "job", job);
        assertEquals(1, restarts.size(), restarts.toString());
        assertEquals(expected, restarts.getFirst().value(), 0.0, restarts.toString());
    }
}
