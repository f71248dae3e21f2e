package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.web.PrometheusText;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * Calls of a coordinator's REST API for the cluster tests: plain requests, JSON answers, answers polled until they
 * satisfy a check (each poll bounded, 60 s in all), {@code /metrics} parsed strictly ({@link PrometheusText}), and
 * helpers to read a job's vertices. Stateless.
 */
final class RestCalls {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private RestCalls() {}

    /** {@code GET url} with the token, expecting 200; its JSON. */
    static JsonNode get(HttpClient http, String url, String token) throws Exception {
        HttpResponse<String> r = send(http, url, token, null);
        assertEquals(200, r.statusCode(), url + ": " + r.body());
        return JSON.readTree(r.body());
    }

    /** {@code GET url} until its JSON passes {@code check} (every 200 ms, at most 60 s); the JSON that passed. */
    static JsonNode until(HttpClient http, String url, String token, Predicate<JsonNode> check) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = get(http, url, token);
            if (check.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(url + " never got there within " + PATIENCE.toSeconds() + " s; last: " + last);
    }

    /** {@code GET base/metrics}, parsed, until the samples pass {@code check} (every 200 ms, at most 60 s). */
    static List<PrometheusText.Sample> metricsUntil(HttpClient http, String base, String token,
            Predicate<List<PrometheusText.Sample>> check) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = send(http, base + "/metrics", token, null);
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

    /** The samples of metric {@code name} whose label {@code label} is {@code value}. */
    static List<PrometheusText.Sample> samples(List<PrometheusText.Sample> all, String name, String label, String value) {
        return all.stream().filter(s -> s.name().equals(name) && value.equals(s.labels().get(label))).toList();
    }

    /** A request with the token ({@code null}: none), a POST of {@code body} as JSON unless it is {@code null}. */
    static HttpResponse<String> send(HttpClient http, String url, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        b = body == null ? b.GET() : b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
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

    /** The sum of {@code field} over a vertex's subtasks. */
    static long total(JsonNode vertex, String field) {
        long sum = 0;
        for (JsonNode s : vertex.get("subtasks")) {
            sum += s.get(field).asLong();
        }
        return sum;
    }
}
