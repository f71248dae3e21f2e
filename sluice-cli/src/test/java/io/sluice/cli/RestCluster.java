package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.cluster.local.ClusterFile;
import io.sluice.web.PrometheusText;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * A local cluster of real processes ({@link LocalClusters}) and calls of its coordinator's REST API, for the cluster
 * tests: plain requests, JSON answers, answers polled until they pass a check (every 200 ms, at most 60 s),
 * {@code /metrics} parsed strictly ({@link PrometheusText}), and helpers to read a job's vertices. {@link #close()}
 * stops the cluster and kills every process it started, whatever the test's outcome. One test thread.
 */
final class RestCluster implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final LocalClusters clusters = new LocalClusters();
    private final HttpClient http = HttpClient.newHttpClient();
    private ClusterFile cluster;
    private String base;
    private String token;

    private RestCluster() {}

    /** Starts a cluster in {@code dir} with {@code cluster start}'s {@code options}. */
    static RestCluster start(Path dir, String... options) throws IOException, InterruptedException {
        RestCluster c = new RestCluster();
        try {
            c.cluster = c.clusters.start(dir, options);
            c.base = "http://" + c.cluster.rest();
            c.token = Files.readString(Path.of(c.cluster.tokenFile())).strip();
            return c;
        } catch (IOException | RuntimeException | Error e) {
            c.close();
            throw e;
        }
    }

    /** What {@code cluster.json} says of the cluster. */
    ClusterFile cluster() {
        return cluster;
    }

    /** The cluster's token, as the API expects it. */
    String token() {
        return token;
    }

    /** {@code GET path} with the token, expecting 200; its JSON. */
    JsonNode get(String path) throws Exception {
        HttpResponse<String> r = send(path, token, null);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    /** {@code GET path} until its JSON passes {@code check}; the JSON that passed. */
    JsonNode until(String path, Predicate<JsonNode> check) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = get(path);
            if (check.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(path + " never got there within " + PATIENCE.toSeconds() + " s; last: " + last);
    }

    /** {@code GET /metrics}, parsed, until the samples pass {@code check}; the samples that passed. */
    List<PrometheusText.Sample> metricsUntil(Predicate<List<PrometheusText.Sample>> check) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = send("/metrics", token, null);
            assertEquals(200, r.statusCode(), r.body());
            last = r.body();
            List<PrometheusText.Sample> samples = PrometheusText.parse(last);
            if (check.test(samples)) {
                return samples;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("/metrics never got there within " + PATIENCE.toSeconds() + " s; last:\n" + last);
    }

    /** A request of {@code path} with {@code token} ({@code null}: none), a POST of {@code body} as JSON unless null. */
    HttpResponse<String> send(String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        b = body == null ? b.GET() : b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The samples of metric {@code name} whose label {@code label} is {@code value}. */
    static List<PrometheusText.Sample> samples(List<PrometheusText.Sample> all, String name, String label, String value) {
        return all.stream().filter(s -> s.name().equals(name) && value.equals(s.labels().get(label))).toList();
    }

    /** The id of the vertex named {@code name} in a job's detail. */
    static int vertexId(JsonNode job, String name) {
        for (JsonNode v : job.get("vertices")) {
            if (v.get("name").asText().equals(name)) {
                return v.get("id").asInt();
            }
        }
        throw new AssertionError("no vertex " + name + " in " + job);
    }

    /** The checkpoints a job's {@code /checkpoints} lists have increasing ids, and there is one at least. */
    static void assertCheckpointIdsIncrease(JsonNode checkpoints) {
        long last = 0;
        for (JsonNode c : checkpoints.get("latest")) {
            assertTrue(c.get("id").asLong() > last, checkpoints.toString());
            last = c.get("id").asLong();
        }
        assertTrue(last > 0, "some checkpoint: " + checkpoints);
    }

    /** The sum of {@code field} over a vertex's subtasks. */
    static long total(JsonNode vertex, String field) {
        long sum = 0;
        for (JsonNode s : vertex.get("subtasks")) {
            sum += s.get(field).asLong();
        }
        return sum;
    }

    @Override
    public void close() throws InterruptedException {
        try {
            clusters.close();
        } finally {
            http.close();
        }
    }
}
