package io.sluice.cli;

import static io.sluice.cli.RestCluster.JSON;
import static io.sluice.cli.RestCluster.assertCheckpointIdsIncrease;
import static io.sluice.cli.RestCluster.total;
import static io.sluice.cli.RestCluster.vertexId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.cluster.local.ClusterFile;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST API of a coordinator ({@code --rest-port}, in {@code cluster.json} as {@code "rest"}) on a local cluster of
 * 2 worker processes with 1 slot each, a job of parallelism 2 spread over both: every route answered with what the
 * job did (state, graph, increasing checkpoint ids, a savepoint, cancel), the token required, traversals and
 * malformed JSON refused; the CLI's {@code list}, {@code savepoint} and {@code cancel} answered through the API. Every
 * process is killed on every path.
 */
@Timeout(180)
class ClusterRestApiTest {

    @Test
    void everyRouteOnATwoWorkerCluster(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("cluster");
        Path input = tmp.resolve("in.txt");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            lines.add("word" + (i % 17) + " other" + (i % 5));
        }
        Files.write(input, lines);
        Path checkpoints = tmp.resolve("ckp");
        try (RestCluster c = RestCluster.start(dir, "--workers", "2", "--slots", "1")) {
            ClusterFile cluster = c.cluster();
            assertNotNull(cluster.rest(), "cluster.json names the REST address");
            String token = c.token();
            MainTest.Result submitted = MainTest.run("run", "counts", "--input", input.toString(), "--output",
                    tmp.resolve("out").toString(), "--rate", "100", "--parallelism", "2", "--checkpoint-interval", "300ms",
                    "--checkpoint-dir", checkpoints.toString(), "--cluster", dir.toString(), "--detached");
            assertEquals(0, submitted.exit(), submitted.toString());
            String job = submitted.out().strip();

            assertEquals(401, c.send("/v1/overview", null, null).statusCode());
            assertEquals(401, c.send("/metrics", "0".repeat(64), null).statusCode());
            JsonNode overview = c.until("/v1/overview", o -> o.get("jobs").has("RUNNING"));
            assertEquals(2, overview.get("workers").asInt());
            assertEquals(2, overview.get("slots").asInt());
            JsonNode jobs = c.get("/v1/jobs");
            assertEquals(job, jobs.get("jobs").get(0).get("id").asText());
            JsonNode detail = c.until("/v1/jobs/" + job, d -> d.get("vertices").size() > 1);
            assertEquals("RUNNING", detail.get("state").asText());
            assertEquals(2, detail.get("parallelism").asInt());
            assertEquals(detail.get("vertices").size() - 1, detail.get("edges").size(), detail.toString());
            JsonNode cps = c.until("/v1/jobs/" + job + "/checkpoints",
                    x -> x.get("counts").get("completed").asInt() >= 2);
            assertCheckpointIdsIncrease(cps);
            assertEquals(200, c.send("/v1/jobs/" + job + "/vertices/0", token, null).statusCode());
            // state sizes come from the workers' reports: the keyed count's after a checkpoint, none for the split
            JsonNode counted = c.until("/v1/jobs/" + job + "/vertices/" + vertexId(detail, "Count"),
                    v -> v.get("subtasks").size() == 2 && min(v, "stateSizeBytes") > 0);
            assertEquals(2, counted.get("subtasks").size(), counted.toString());
            JsonNode split = c.get("/v1/jobs/" + job + "/vertices/" + vertexId(detail, "Split words"));
            for (JsonNode s : split.get("subtasks")) {
                assertEquals(0, s.get("stateSizeBytes").asLong(), "a stateless operator: " + split);
            }
            assertEquals(200, c.send("/v1/jobs/" + job + "/watermarks", token, null).statusCode());
            assertEquals(0, c.get("/v1/jobs/" + job + "/exceptions").get("exceptions").size());
            String metrics = c.send("/metrics", token, null).body();
            assertTrue(metrics.contains("sluice_checkpoints_completed_total{job=\"" + job + "\"}"), metrics);
            assertTrue(metrics.contains("jvm_memory_used_bytes"), "the coordinator's JVM");

            assertEquals(400, c.send("/v1/jobs/job-99", token, null).statusCode());
            assertEquals(400, c.send("/v1/jobs/" + job + "/savepoints", token, "{\"target\":").statusCode());
            for (String target : List.of(checkpoints + "/../elsewhere", checkpoints + "/%2e%2e/x", tmp.toString(), "rel")) {
                HttpResponse<String> r = c.send("/v1/jobs/" + job + "/savepoints", token,
                        "{\"target\": \"" + target + "\"}");
                assertEquals(400, r.statusCode(), target + ": " + r.body());
            }
            HttpResponse<String> sp = c.send("/v1/jobs/" + job + "/savepoints", token,
                    "{\"target\": \"" + checkpoints.resolve("savepoints") + "\"}");
            assertEquals(202, sp.statusCode(), sp.body());
            String rid = JSON.readTree(sp.body()).get("requestId").asText();
            JsonNode done = c.until("/v1/jobs/" + job + "/savepoints/" + rid,
                    s -> !s.get("state").asText().equals("IN_PROGRESS"));
            assertEquals("COMPLETED", done.get("state").asText(), done.toString());
            assertTrue(Files.isDirectory(Path.of(done.get("path").asText())));

            JsonNode listed = c.get("/v1/jobs").get("jobs").get(0);
            for (String field : List.of("jobName", "worker", "failure", "operators")) {
                assertTrue(listed.has(field), "what 'list' prints is in /v1/jobs: " + listed);
            }
            assertEquals("counts", listed.get("jobName").asText(), listed.toString());

            // the CLI's list, savepoint and cancel go through the REST API (cluster.json names it)
            MainTest.Result list = MainTest.run("list", "--cluster", dir.toString());
            assertEquals(job + "  RUNNING  counts  on worker-1,worker-2 (2 slot(s))\n", list.out(), list.toString());
            MainTest.Result cliSavepoint = MainTest.run("savepoint", job, checkpoints.resolve("cli").toString(),
                    "--cluster", dir.toString());
            assertEquals(0, cliSavepoint.exit(), cliSavepoint.toString());
            JsonNode viaRest = c.get("/v1/jobs/" + job + "/savepoints/sp-2");
            assertEquals(cliSavepoint.out().strip(), viaRest.get("path").asText(), "taken through the REST API: " + viaRest);
            // given only the coordinator's address, the CLI asks it where its REST API listens and goes there
            MainTest.Result byAddress = MainTest.run("savepoint", job, checkpoints.resolve("cli-by-address").toString(),
                    "--cluster", cluster.coordinator(), "--token-file", cluster.tokenFile());
            assertEquals(0, byAddress.exit(), byAddress.toString());
            JsonNode viaDiscoveredRest = c.get("/v1/jobs/" + job + "/savepoints/sp-3");
            assertEquals(byAddress.out().strip(), viaDiscoveredRest.get("path").asText(),
                    "taken through the REST API the coordinator named: " + viaDiscoveredRest);
            MainTest.Result listByAddress = MainTest.run("list", "--cluster", cluster.coordinator(), "--token-file",
                    cluster.tokenFile());
            assertEquals(list.out(), listByAddress.out(), listByAddress.toString());
            MainTest.assertError(1, List.of("no job job-99 on this coordinator"), "savepoint", "job-99",
                    checkpoints.resolve("cli").toString(), "--cluster", dir.toString());
            MainTest.Result cancel = MainTest.run("cancel", job, "--cluster", dir.toString());
            assertEquals("Job " + job + " cancelled\n", cancel.out(), cancel.toString());
            assertEquals("CANCELLED", c.get("/v1/jobs/" + job).get("state").asText());
            assertEquals(409, c.send("/v1/jobs/" + job + "/cancel", token, "{}").statusCode());
            MainTest.Result again = MainTest.run("cancel", job, "--cluster", dir.toString());
            assertEquals(0, again.exit(), again.toString());
            assertEquals("Job " + job + " cancelled\n", again.out(), "a 409 of an ended job is no error: " + again);
        }
    }

    /**
     * The counters the workers report, on a 2-worker cluster: {@link MonitoredTestJob}'s per-subtask counts rise
     * between readings and equal the job's known counts once it finished; its sources are reported backpressured
     * while its sink is slowed on purpose, split {@code seq-0} holds the sink's watermark back, and {@code /metrics}
     * carries the per-subtask series and each worker's gauges (network buffers, JVM memory, GC).
     */
    @Test
    void subtaskCountersBackpressureAndSplitWatermarksComeFromTheWorkers(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("cluster");
        try (RestCluster c = RestCluster.start(dir, "--workers", "2", "--slots", "1")) {
            String token = c.token();
            MainTest.Result submitted = MainTest.run("run", MonitoredTestJob.class.getName(), "--cluster", dir.toString(),
                    "--detached");
            assertEquals(0, submitted.exit(), submitted.toString());
            String jobPath = "/v1/jobs/" + submitted.out().strip();
            String job = submitted.out().strip();
            JsonNode detail = MonitoredTestJobChecks.graph(c, jobPath);
            int source = vertexId(detail, MonitoredTestJob.SOURCE);

            JsonNode pressured = MonitoredTestJobChecks.sourcesBackpressured(c, jobPath, detail);
            JsonNode slowSink = c.get(jobPath + "/vertices/" + vertexId(detail, MonitoredTestJob.SINK));
            assertEquals(1, slowSink.get("subtasks").size(), slowSink.toString());
            assertTrue(slowSink.get("subtasks").get(0).get("backpressuredRatio").asDouble() < 0.1, slowSink.toString());
            MonitoredTestJobChecks.seq0HoldsTheSinkBack(c, jobPath);

            String metrics = c.send("/metrics", token, null).body();
            for (String subtask : List.of("0", "1")) {
                assertTrue(metrics.lines().anyMatch(l -> l.startsWith("sluice_records_out_total{") && l.contains(job)
                        && l.contains("operator=\"" + MonitoredTestJob.SOURCE + "\"") && l.contains("subtask=\"" + subtask
                        + "\"")), "per-subtask series of the source's subtask " + subtask + ":\n" + metrics);
            }
            for (String gauge : List.of("sluice_worker_network_buffers_used{", "sluice_worker_network_buffers_capacity{",
                    "sluice_worker_jvm_heap_used_bytes{", "sluice_worker_jvm_gc_collections{")) {
                assertEquals(2, metrics.lines().filter(l -> l.startsWith(gauge) && l.contains("worker=\"")).count(),
                        "one " + gauge + "} series per worker:\n" + metrics);
            }
            assertTrue(metrics.lines().filter(l -> l.startsWith("sluice_worker_network_buffers_used{"))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum() > 0,
                    "the channel between the workers holds buffers:\n" + metrics);
            JsonNode later = c.until(jobPath + "/vertices/" + source,
                    v -> total(v, "recordsOut") > total(pressured, "recordsOut"));
            for (int s = 0; s < 2; s++) {
                assertTrue(later.get("subtasks").get(s).get("recordsOut").asLong()
                        >= pressured.get("subtasks").get(s).get("recordsOut").asLong(), later + " after " + pressured);
            }

            MonitoredTestJobChecks.finalCounts(c, jobPath, detail);
        }
    }

    private static double min(JsonNode vertex, String field) {
        double min = Double.MAX_VALUE;
        for (JsonNode s : vertex.get("subtasks")) {
            min = Math.min(min, s.get(field).asDouble());
        }
        return min;
    }
}
