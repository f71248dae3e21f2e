package io.sluice.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.JobClient;
import io.sluice.api.graph.CheckpointConfig;
import io.sluice.api.source.SequenceSource;
import io.sluice.api.types.Types;
import io.sluice.network.ClusterToken;
import io.sluice.runtime.cluster.LocalExecutor;
import io.sluice.runtime.config.EngineConfig;
import io.sluice.runtime.monitor.JobRegistry;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stateSizeBytes} per subtask on the embedded cluster: a keyed reduce over 500 keys reports the size of its
 * state in its latest checkpoint (above 0, and in {@code /metrics}), a stateless map 0, and a source nothing.
 */
@Timeout(60)
class StateSizeTest {

    @Test
    void aKeyedOperatorReportsItsCheckpointedStateAndAStatelessOneZero(@TempDir Path dir) throws Exception {
        ClusterToken token = ClusterToken.random();
        JobRegistry registry = new JobRegistry(1);
        StreamEnvironment env = StreamEnvironment.create().setParallelism(1)
                .setExecutor(new LocalExecutor(EngineConfig.defaults(), registry))
                .enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(200)).withDirectory(dir.toString()));
        env.fromSource(new SequenceSource(0, 1_000_000_000L, 2_000), "numbers")
                .map(v -> v % 500, Types.LONG).name("stateless")
                .keyBy(v -> v, Types.LONG)
                .reduce(Long::sum).name("keyed")
                .sinkTo(Discard.<Long>sink()).name("sink");
        JobClient client = env.executeAsync("state size job");
        try (WebServer server = WebServer.start(registry, WebServer.Settings.loopback(token));
                Http http = new Http("http://" + server.address(), token.hex())) {
            JsonNode job = http.get("/v1/jobs/job-1").json();
            int keyed = vertex(job, "keyed");
            JsonNode sized = until(http, "/v1/jobs/job-1/vertices/" + keyed,
                    v -> v.get("subtasks").get(0).get("stateSizeBytes").asLong() > 0);
            assertEquals(1, sized.get("subtasks").size(), sized.toString());
            JsonNode stateless = http.get("/v1/jobs/job-1/vertices/" + vertex(job, "stateless")).json();
            assertEquals(0, stateless.get("subtasks").get(0).get("stateSizeBytes").asLong(), stateless.toString());
            JsonNode source = http.get("/v1/jobs/job-1/vertices/" + vertex(job, "numbers")).json();
            assertTrue(source.get("subtasks").get(0).get("stateSizeBytes").isNull(), source.toString());
            String metrics = http.get("/metrics").body();
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith("sluice_state_size_bytes{") && l.contains("operator=\"keyed\"")
                    && Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) > 0), metrics);
        } finally {
            client.cancel();
            try {
                client.await();
            } catch (Exception expected) {
                // cancelled
            }
        }
    }

    private static int vertex(JsonNode job, String name) {
        for (JsonNode v : job.get("vertices")) {
            if (v.get("name").asText().equals(name)) {
                return v.get("id").asInt();
            }
        }
        throw new AssertionError("no vertex " + name + " in " + job);
    }

    private static JsonNode until(Http http, String path, java.util.function.Predicate<JsonNode> check) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = http.get(path).json();
            if (check.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("GET " + path + " never satisfied the check within 30 s; last: " + last);
    }
}
