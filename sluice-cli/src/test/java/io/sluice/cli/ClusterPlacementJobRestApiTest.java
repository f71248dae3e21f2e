package io.sluice.cli;

import static io.sluice.cli.RestCluster.assertCheckpointIdsIncrease;
import static io.sluice.cli.RestCluster.samples;
import static io.sluice.cli.RestCluster.total;
import static io.sluice.cli.RestCluster.vertexId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.cluster.local.ClusterFile;
import io.sluice.connectors.file.TransactionalFileSink;
import io.sluice.web.PrometheusText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job run whole on one worker ({@code --placement job}) shows on the coordinator's REST API and {@code /metrics} what
 * a spread job shows, from its worker's reports: on a local cluster of 2 worker processes, the built-in {@code counts}
 * at parallelism 2 (rate-limited, checkpointing every 300 ms): its graph; per-subtask counters while it runs;
 * checkpoint ids increasing; per-subtask and per-job series in {@code /metrics}, and the gauges of both workers (the
 * one running it and the idle one). Once it finished, the record counts the API and {@code /metrics} give equal the
 * job's own: the lines of its input and the lines it committed (checked against the input's oracle). And
 * {@link MonitoredTestJob}: backpressure and the split holding the watermark back. Every process is killed on every
 * path.
 */
@Timeout(240)
class ClusterPlacementJobRestApiTest {
    private static final int LINES = 800;

    @Test
    void aJobRunWholeOnAWorkerShowsItsGraphCountersAndCheckpoints(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("cluster");
        Path input = tmp.resolve("in.txt");
        Path output = tmp.resolve("out");
        Map<String, Integer> oracle = CountsOracle.writeInput(input, 16, LINES);
        try (RestCluster c = RestCluster.start(dir, "--workers", "2", "--slots", "2", "--placement", "job")) {
            ClusterFile cluster = c.cluster();
            MainTest.Result submitted = MainTest.run("run", "counts", "--input", input.toString(), "--output",
                    output.toString(), "--rate", "100", "--parallelism", "2", "--checkpoint-interval", "300ms",
                    "--checkpoint-dir", tmp.resolve("ckp").toString(), "--cluster", dir.toString(), "--detached");
            assertEquals(0, submitted.exit(), submitted.toString());
            String job = submitted.out().strip();
            String jobPath = "/v1/jobs/" + job;

            JsonNode detail = c.until(jobPath, d -> d.get("state").asText().equals("RUNNING")
                    && !d.get("worker").asText().isEmpty());
            assertEquals(4, detail.get("vertices").size(), detail.toString());
            assertEquals(3, detail.get("edges").size(), detail.toString());
            assertEquals(2, detail.get("parallelism").asInt());
            String worker = detail.get("worker").asText();
            int read = vertexStartingWith(detail, "Read ");
            int count = vertexId(detail, "Count");
            int write = vertexStartingWith(detail, "Write ");

            JsonNode counting = c.until(jobPath + "/vertices/" + count,
                    v -> v.get("subtasks").size() == 2 && total(v, "recordsIn") > 0);
            assertEquals("Count", counting.get("name").asText());
            JsonNode cps = c.until(jobPath + "/checkpoints", x -> x.get("counts").get("completed").asInt() >= 2);
            assertCheckpointIdsIncrease(cps);
            assertEquals(3, c.get(jobPath + "/watermarks").get("operators").size(), "its non-source vertices");
            assertEquals(0, c.get(jobPath + "/exceptions").get("exceptions").size());
            List<PrometheusText.Sample> running = c.metricsUntil(s ->
                    samples(s, "sluice_records_in_total", "job", job).stream()
                            .filter(x -> x.labels().get("operator").equals("Count")).count() == 2
                    && samples(s, "sluice_checkpoints_completed_total", "job", job).stream().anyMatch(x -> x.value() >= 2));
            for (ClusterFile.WorkerEntry w : cluster.workers()) {
                assertEquals(1, samples(running, "sluice_worker_jvm_heap_used_bytes", "worker", w.id()).size(),
                        "gauges of " + w.id() + " (" + worker + " runs the job)");
            }

            c.until(jobPath, d -> d.get("state").asText().equals("FINISHED"));
            CountsOracle.checkCommitted(oracle, output, "counts on a --placement job cluster");
            long committed = TransactionalFileSink.readCommitted(output).size();
            assertEquals(LINES, total(c.get(jobPath + "/vertices/" + read), "recordsOut"), "lines read");
            JsonNode counted = c.get(jobPath + "/vertices/" + count);
            assertEquals(committed, total(counted, "recordsIn"), counted.toString());
            assertEquals(committed, total(counted, "recordsOut"), counted.toString());
            assertEquals(committed, total(c.get(jobPath + "/vertices/" + write), "recordsIn"));
            assertCheckpointIdsIncrease(c.get(jobPath + "/checkpoints"));
            List<PrometheusText.Sample> ended = c.metricsUntil(s -> true);
            assertEquals(committed, samples(ended, "sluice_records_in_total", "job", job).stream()
                    .filter(x -> x.labels().get("vertex").equals(Integer.toString(write)))
                    .mapToDouble(PrometheusText.Sample::value).sum(), 0.0, "the sink's records in /metrics");
        }
    }

    /**
     * {@link MonitoredTestJob} run whole on one worker: its sources reported backpressured while its sink is slowed,
     * split {@code seq-0} holding the sink's watermark back, and once it finished each source subtask's records out
     * equal to its half of the sequence, the map's and sink's records in to all of it.
     */
    @Test
    void aJobRunWholeOnAWorkerShowsBackpressureAndTheSplitHoldingTheWatermarkBack(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("cluster");
        try (RestCluster c = RestCluster.start(dir, "--workers", "2", "--slots", "2", "--placement", "job")) {
            MainTest.Result submitted = MainTest.run("run", MonitoredTestJob.class.getName(), "--cluster", dir.toString(),
                    "--detached");
            assertEquals(0, submitted.exit(), submitted.toString());
            String jobPath = "/v1/jobs/" + submitted.out().strip();
            JsonNode detail = MonitoredTestJobChecks.graph(c, jobPath);
            MonitoredTestJobChecks.sourcesBackpressured(c, jobPath, detail);
            MonitoredTestJobChecks.seq0HoldsTheSinkBack(c, jobPath);
            MonitoredTestJobChecks.finalCounts(c, jobPath, detail);
            assertEquals(0, c.get(jobPath + "/watermarks").get("splits").size(), "an ended job holds no splits");
        }
    }

    private static int vertexStartingWith(JsonNode job, String prefix) {
        for (JsonNode v : job.get("vertices")) {
            if (v.get("name").asText().startsWith(prefix)) {
                return v.get("id").asInt();
            }
        }
        throw new AssertionError("no vertex named " + prefix + "... in " + job);
    }
}
