package io.sluice.cli;

import static io.sluice.cli.RestCalls.JSON;
import static io.sluice.cli.RestCalls.get;
import static io.sluice.cli.RestCalls.send;
import static io.sluice.cli.RestCalls.total;
import static io.sluice.cli.RestCalls.until;
import static io.sluice.cli.RestCalls.vertexId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.cluster.local.ClusterFile;
import java.net.http.HttpClient;
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
        try (LocalClusters clusters = new LocalClusters(); HttpClient http = HttpClient.newHttpClient()) {
            ClusterFile cluster = clusters.start(dir, 2, 1);
            assertNotNull(cluster.rest(), "cluster.json names the REST address");
            String base = "http://" + cluster.rest();
            String token = Files.readString(Path.of(cluster.tokenFile())).strip();
            MainTest.Result submitted = MainTest.run("run", "counts", "--input", input.toString(), "--output",
                    tmp.resolve("out").toString(), "--rate", "100", "--parallelism", "2", "--checkpoint-interval", "300ms",
                    "--checkpoint-dir", checkpoints.toString(), "--cluster", dir.toString(), "--detached");
            assertEquals(0, submitted.exit(), submitted.toString());
            String job = submitted.out().strip();

            assertEquals(401, send(http, base + "/v1/overview", null, null).statusCode());
            assertEquals(401, send(http, base + "/metrics", "0".repeat(64), null).statusCode());
            JsonNode overview = until(http, base + "/v1/overview", token, o -> o.get("jobs").has("RUNNING"));
            assertEquals(2, overview.get("workers").asInt());
            assertEquals(2, overview.get("slots").asInt());
            JsonNode jobs = get(http, base + "/v1/jobs", token);
            assertEquals(job, jobs.get("jobs").get(0).get("id").asText());
            JsonNode detail = until(http, base + "/v1/jobs/" + job, token, d -> d.get("vertices").size() > 1);
            assertEquals("RUNNING", detail.get("state").asText());
            assertEquals(2, detail.get("parallelism").asInt());
            assertEquals(detail.get("vertices").size() - 1, detail.get("edges").size(), detail.toString());
            JsonNode cps = until(http, base + "/v1/jobs/" + job + "/checkpoints", token,
                    c -> c.get("counts").get("completed").asInt() >= 2);
            long last = 0;
            for (JsonNode c : cps.get("latest")) {
                assertTrue(c.get("id").asLong() > last, cps.toString());
                last = c.get("id").asLong();
            }
            assertEquals(200, send(http, base + "/v1/jobs/" + job + "/vertices/0", token, null).statusCode());
            // state sizes come from the workers' reports: the keyed count's after a checkpoint, none for the split
            JsonNode counted = until(http, base + "/v1/jobs/" + job + "/vertices/" + vertexId(detail, "Count"), token,
                    v -> v.get("subtasks").size() == 2 && min(v, "stateSizeBytes") > 0);
            assertEquals(2, counted.get("subtasks").size(), counted.toString());
            JsonNode split = get(http, base + "/v1/jobs/" + job + "/vertices/" + vertexId(detail, "Split words"), token);
            for (JsonNode s : split.get("subtasks")) {
                assertEquals(0, s.get("stateSizeBytes").asLong(), "a stateless operator: " + split);
            }
            assertEquals(200, send(http, base + "/v1/jobs/" + job + "/watermarks", token, null).statusCode());
            assertEquals(0, get(http, base + "/v1/jobs/" + job + "/exceptions", token).get("exceptions").size());
            String metrics = send(http, base + "/metrics", token, null).body();
            assertTrue(metrics.contains("sluice_checkpoints_completed_total{job=\"" + job + "\"}"), metrics);
            assertTrue(metrics.contains("jvm_memory_used_bytes"), "the coordinator's JVM");

            assertEquals(400, send(http, base + "/v1/jobs/job-99", token, null).statusCode());
            assertEquals(400, send(http, base + "/v1/jobs/" + job + "/savepoints", token, "{\"target\":").statusCode());
            for (String target : List.of(checkpoints + "/../elsewhere", checkpoints + "/%2e%2e/x", tmp.toString(), "rel")) {
                HttpResponse<String> r = send(http, base + "/v1/jobs/" + job + "/savepoints", token,
                        "{\"target\": \"" + target + "\"}");
                assertEquals(400, r.statusCode(), target + ": " + r.body());
            }
            HttpResponse<String> sp = send(http, base + "/v1/jobs/" + job + "/savepoints", token,
                    "{\"target\": \"" + checkpoints.resolve("savepoints") + "\"}");
            assertEquals(202, sp.statusCode(), sp.body());
            String rid = JSON.readTree(sp.body()).get("requestId").asText();
            JsonNode done = until(http, base + "/v1/jobs/" + job + "/savepoints/" + rid, token,
                    s -> !s.get("state").asText().equals("IN_PROGRESS"));
            assertEquals("COMPLETED", done.get("state").asText(), done.toString());
            assertTrue(Files.isDirectory(Path.of(done.get("path").asText())));

            JsonNode listed = get(http, base + "/v1/jobs", token).get("jobs").get(0);
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
            JsonNode viaRest = get(http, base + "/v1/jobs/" + job + "/savepoints/sp-2", token);
            assertEquals(cliSavepoint.out().strip(), viaRest.get("path").asText(), "taken through the REST API: " + viaRest);
            MainTest.assertError(1, List.of("no job job-99 on this coordinator"), "savepoint", "job-99",
                    checkpoints.resolve("cli").toString(), "--cluster", dir.toString());
            MainTest.Result cancel = MainTest.run("cancel", job, "--cluster", dir.toString());
            assertEquals("Job " + job + " cancelled\n", cancel.out(), cancel.toString());
            assertEquals("CANCELLED", get(http, base + "/v1/jobs/" + job, token).get("state").asText());
            assertEquals(409, send(http, base + "/v1/jobs/" + job + "/cancel", token, "{}").statusCode());
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
        try (LocalClusters clusters = new LocalClusters(); HttpClient http = HttpClient.newHttpClient()) {
            ClusterFile cluster = clusters.start(dir, 2, 1);
            String base = "http://" + cluster.rest();
            String token = Files.readString(Path.of(cluster.tokenFile())).strip();
            MainTest.Result submitted = MainTest.run("run", MonitoredTestJob.class.getName(), "--cluster", dir.toString(),
                    "--detached");
            assertEquals(0, submitted.exit(), submitted.toString());
            String jobUrl = base + "/v1/jobs/" + submitted.out().strip();
            String job = submitted.out().strip();
            JsonNode detail = until(http, jobUrl, token, d -> d.get("vertices").size() == 3);
            int source = vertexId(detail, MonitoredTestJob.SOURCE);
            int map = vertexId(detail, MonitoredTestJob.MAP);
            int sink = vertexId(detail, MonitoredTestJob.SINK);

            JsonNode pressured = until(http, jobUrl + "/vertices/" + source, token, v -> v.get("subtasks").size() == 2
                    && max(v, "backpressuredRatio") > 0.5);
            JsonNode slowSink = get(http, jobUrl + "/vertices/" + sink, token);
            assertEquals(1, slowSink.get("subtasks").size(), slowSink.toString());
            assertTrue(slowSink.get("subtasks").get(0).get("backpressuredRatio").asDouble() < 0.1, slowSink.toString());
            JsonNode w = until(http, jobUrl + "/watermarks", token, x -> x.get("splits").size() == 2
                    && operator(x, MonitoredTestJob.SINK).hasNonNull("heldBackBy"));
            assertEquals("seq-0", operator(w, MonitoredTestJob.SINK).get("heldBackBy").get("split").asText(), w.toString());

            String metrics = send(http, base + "/metrics", token, null).body();
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
            JsonNode later = until(http, jobUrl + "/vertices/" + source, token,
                    v -> total(v, "recordsOut") > total(pressured, "recordsOut"));
            for (int s = 0; s < 2; s++) {
                assertTrue(later.get("subtasks").get(s).get("recordsOut").asLong()
                        >= pressured.get("subtasks").get(s).get("recordsOut").asLong(), later + " after " + pressured);
            }

            until(http, jobUrl, token, d -> d.get("state").asText().equals("FINISHED"));
            JsonNode sources = get(http, jobUrl + "/vertices/" + source, token);
            assertEquals(2, sources.get("subtasks").size(), sources.toString());
            for (JsonNode s : sources.get("subtasks")) {
                assertEquals(MonitoredTestJob.RECORDS / 2, s.get("recordsOut").asLong(), sources.toString());
            }
            assertEquals(MonitoredTestJob.RECORDS, total(get(http, jobUrl + "/vertices/" + map, token), "recordsIn"));
            assertEquals(MonitoredTestJob.RECORDS, total(get(http, jobUrl + "/vertices/" + sink, token), "recordsIn"));
        }
    }

    private static JsonNode operator(JsonNode watermarks, String name) {
        for (JsonNode o : watermarks.get("operators")) {
            if (o.get("name").asText().equals(name)) {
                return o;
            }
        }
        throw new AssertionError("no operator " + name + " in " + watermarks);
    }

    private static double min(JsonNode vertex, String field) {
        double min = Double.MAX_VALUE;
        for (JsonNode s : vertex.get("subtasks")) {
            min = Math.min(min, s.get(field).asDouble());
        }
        return min;
    }

    private static double max(JsonNode vertex, String field) {
        double max = 0;
        for (JsonNode s : vertex.get("subtasks")) {
            max = Math.max(max, s.get(field).asDouble());
        }
        return max;
    }
}
