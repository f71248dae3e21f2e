package io.sluice.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every route against a job running on the embedded cluster, values checked against what the job did. */
class EmbeddedRestApiTest {
    @TempDir
    static Path dir;
    static RunningJob job;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        job = new RunningJob(dir);
        http = new Http("http://" + job.server.address(), job.token.hex());
    }

    @AfterAll
    static void stop() throws Exception {
        if (http != null) {
            http.close();
        }
        if (job != null) {
            job.close();
        }
    }

    /** Polls {@code path} until {@code check} holds, at most 40 s; returns the last answer. */
    static JsonNode until(String path, java.util.function.Predicate<JsonNode> check) throws Exception {
        long deadline = System.nanoTime() + 40_000_000_000L;
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            Http.Reply r = http.get(path);
            assertEquals(200, r.status(), r.body());
            last = r.json();
            if (check.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("GET " + path + " never satisfied the check within 40 s; last: " + last);
    }

    @Test
    void overviewAndJobs() throws Exception {
        JsonNode overview = http.get("/v1/overview").json();
        assertEquals(1, overview.get("workers").asInt());
        assertEquals(2, overview.get("slots").asInt());
        assertEquals(1, overview.get("jobs").get("RUNNING").asInt(), overview.toString());
        JsonNode jobs = http.get("/v1/jobs").json().get("jobs");
        assertEquals(1, jobs.size());
        assertEquals("job-1", jobs.get(0).get("id").asText());
        assertEquals("web test job", jobs.get(0).get("name").asText());
        JsonNode detail = http.get("/v1/jobs/job-1").json();
        assertEquals("RUNNING", detail.get("state").asText());
        assertEquals(2, detail.get("parallelism").asInt());
        assertEquals(0, detail.get("restarts").asInt());
        assertEquals(3, detail.get("vertices").size(), detail.toString());
        assertEquals(2, detail.get("edges").size());
        assertEquals("source", detail.get("vertices").get(0).get("kind").asText());
        assertTrue(detail.get("startTime").asLong() <= System.currentTimeMillis());
    }

    @Test
    void vertexCountsMatchTheJobsAndTheSlowSinkBackpressuresTheSource() throws Exception {
        long before = job.recordsOut(RunningJob.SOURCE);
        JsonNode source = until("/v1/jobs/job-1/vertices/0", v -> {
            double pressured = 0;
            for (JsonNode s : v.get("subtasks")) {
                pressured = Math.max(pressured, s.get("backpressuredRatio").asDouble());
            }
            return pressured > 0.5;
        });
        long after = job.recordsOut(RunningJob.SOURCE);
        long reported = 0;
        for (JsonNode s : source.get("subtasks")) {
            reported += s.get("recordsOut").asLong();
            assertTrue(s.get("recordsOutPerSecond").asDouble() >= 0);
        }
        assertEquals(2, source.get("subtasks").size());
        assertTrue(reported >= before && reported <= after, "REST " + reported + " between the job's " + before
                + " and " + after);
        JsonNode sink = http.get("/v1/jobs/job-1/vertices/2").json();
        assertEquals(1, sink.get("subtasks").size());
        assertTrue(sink.get("subtasks").get(0).get("backpressuredRatio").asDouble() < 0.1, sink.toString());
        assertTrue(sink.get("subtasks").get(0).get("busyRatio").asDouble() > 0.5, sink.toString());
    }

    @Test
    void allVerticesAtOnce() throws Exception {
        JsonNode all = until("/v1/jobs/job-1/vertices", v -> v.get("vertices").get(0).get("maxBackpressuredRatio").asDouble() > 0.5);
        assertEquals(3, all.get("vertices").size());
        assertTrue(all.get("vertices").get(2).get("recordsInPerSecond").asDouble() > 0, all.toString());
        assertTrue(all.get("vertices").get(2).get("maxBackpressuredRatio").asDouble() < 0.1, all.toString());
    }

    @Test
    void checkpointIdsIncrease() throws Exception {
        JsonNode cps = until("/v1/jobs/job-1/checkpoints", c -> c.get("counts").get("completed").asInt() >= 2);
        long last = 0;
        for (JsonNode c : cps.get("latest")) {
            assertTrue(c.get("id").asLong() > last, cps.toString());
            last = c.get("id").asLong();
            assertTrue(c.get("triggerEpochMillis").asLong() > 0);
        }
    }

    @Test
    void theLowSplitIsNamedAsHoldingTheWatermarkBack() throws Exception {
        // The map is chained behind the source: its input watermark is what the source's reader emitted.
        JsonNode w = until("/v1/jobs/job-1/watermarks", x -> x.get("operators").size() == 2
                && !x.get("operators").get(1).get("heldBackBy").isNull() && !x.get("operators").get(1).get("inputWatermark").isNull()
                && !x.get("operators").get(0).get("inputWatermark").isNull());
        assertEquals(2, w.get("splits").size(), w.toString());
        JsonNode sink = w.get("operators").get(1);
        assertEquals(RunningJob.SINK, sink.get("name").asText());
        assertEquals("seq-0", sink.get("heldBackBy").get("split").asText(), w.toString());
        assertTrue(sink.get("inputWatermark").asLong() < 500_000_000L, w.toString());
    }

    @Test
    void exceptionsAreEmptyForAHealthyJob() throws Exception {
        assertEquals(0, http.get("/v1/jobs/job-1/exceptions").json().get("exceptions").size());
    }

    @Test
    void everyRouteButTheDashboardNeedsTheToken() throws Exception {
        for (String path : List.of("/v1/overview", "/v1/jobs", "/v1/jobs/job-1", "/metrics", "/v1/jobs/job-1/checkpoints")) {
            Http.Reply none = http.getWithToken(path, null);
            assertEquals(401, none.status(), path);
            assertTrue(none.json().get("message").asText().contains("token"));
            assertEquals(401, http.getWithToken(path, "0".repeat(64)).status(), path);
        }
        assertEquals(200, http.getWithToken("/", null).status());
        assertEquals(200, http.getWithToken("/app.js", null).status());
    }

    @Test
    void badInputIsRefused() throws Exception {
        assertEquals(400, http.get("/v1/jobs/job-9").status());
        assertEquals(400, http.get("/v1/jobs/job-1/vertices/x").status());
        assertEquals(404, http.get("/v1/nothing").status());
        assertEquals(404, http.get("/v1/jobs/job-1/savepoints/sp-999").status());
        Http.Reply malformed = http.post("/v1/jobs/job-1/savepoints", "{\"target\": ");
        assertEquals(400, malformed.status());
        assertTrue(malformed.json().get("message").asText().startsWith("malformed JSON"), malformed.body());
        assertEquals(400, http.post("/v1/jobs/job-1/savepoints", "[1]").status());
        assertEquals(400, http.post("/v1/jobs/job-1/savepoints", "{}").status());
    }

    @Test
    void traversalsAreRefused() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.createDirectories(job.checkpoints);
        Path link = Files.createSymbolicLink(job.checkpoints.resolve("escape"), outside);
        List<String> targets = new ArrayList<>(List.of(
                job.checkpoints + "/../outside",
                job.checkpoints + "/%2e%2e/outside",
                job.checkpoints + "/..%2foutside",
                outside.toString(),
                "relative/dir",
                "/etc",
                link + "/sp"));
        for (String target : targets) {
            Http.Reply r = http.post("/v1/jobs/job-1/savepoints", "{\"target\": \"" + target + "\"}");
            assertEquals(400, r.status(), target + ": " + r.body());
            assertFalse(r.body().contains("null"), r.body());
        }
        assertEquals(400, http.get("/v1/jobs/%2e%2e/job-1").status());
        assertEquals(400, http.get("/v1/jobs/job-1/../../etc").status());
    }

    @Test
    void savepointIntoTheCheckpointDirectoryCompletes() throws Exception {
        String target = job.checkpoints.resolve("savepoints").toString();
        Http.Reply r = http.post("/v1/jobs/job-1/savepoints", "{\"target\": \"" + target + "\"}");
        assertEquals(202, r.status(), r.body());
        String rid = r.json().get("requestId").asText();
        JsonNode done = until("/v1/jobs/job-1/savepoints/" + rid, s -> !s.get("state").asText().equals("IN_PROGRESS"));
        assertEquals("COMPLETED", done.get("state").asText(), done.toString());
        assertTrue(Files.isDirectory(Path.of(done.get("path").asText())), done.toString());
        assertTrue(Path.of(done.get("path").asText()).startsWith(job.checkpoints.toRealPath()));
    }
}
