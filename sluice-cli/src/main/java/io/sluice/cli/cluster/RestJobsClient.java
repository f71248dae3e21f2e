package io.sluice.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.cluster.protocol.JobMessages.JobInfo;
import io.sluice.cluster.protocol.JobMessages.OperatorCount;
import io.sluice.network.ClusterToken;
import io.sluice.network.tls.TlsDir;
import io.sluice.web.api.RestApi;
import io.sluice.web.api.SavepointPaths;
import io.sluice.web.http.HttpError;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * {@link JobsClient} over the coordinator's REST API ({@code "rest"} of {@code cluster.json}, docs/operations.md), with
 * the cluster token as a bearer token and, with TLS, trusting the cluster's CA. A savepoint whose target lies outside
 * the API's allowed roots (which the API refuses) is taken over the control protocol, as before the API existed, so
 * the commands accept any directory. Refusals read as they do over the control protocol. One thread at a time.
 */
final class RestJobsClient implements JobsClient {
    /** How long a savepoint may take before the client gives up (as over the control protocol). */
    static final long SAVEPOINT_WAIT_MILLIS = 11 * 60_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http;
    private final String base;
    private final String address;
    private final ClusterToken token;
    private final String tokenOrigin;
    private final ControlFallback control;
    private ControlJobsClient opened;

    /** Opens the control protocol client, only when a savepoint needs it. */
    @FunctionalInterface
    interface ControlFallback {
        ControlJobsClient open() throws IOException;
    }

    /**
     * @param address     {@code HOST:PORT} of the REST API
     * @param tls         the cluster's TLS material (HTTPS trusting its CA), or empty (HTTP)
     * @param tokenOrigin where the token came from, named when it is refused
     */
    RestJobsClient(String address, ClusterToken token, String tokenOrigin, Optional<TlsDir> tls, ControlFallback control)
            throws IOException {
        this.address = address;
        this.token = token;
        this.tokenOrigin = tokenOrigin;
        this.control = control;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (tls.isPresent()) {
            builder.sslContext(trusting(tls.get()));
        }
        this.http = builder.build();
        this.base = (tls.isPresent() ? "https://" : "http://") + address;
    }

    private static SSLContext trusting(TlsDir tls) throws IOException {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("cluster-ca", tls.ca());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot trust the cluster CA of " + tls.dir() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<JobInfo> jobs() throws IOException {
        List<JobInfo> result = new ArrayList<>();
        for (JsonNode job : send("GET", "/v1/jobs", null, "").path("jobs")) {
            result.add(info(job));
        }
        return result;
    }

    @Override
    public JobInfo job(String jobId) throws IOException {
        return info(send("GET", jobPath(jobId, ""), null, jobId));
    }

    @Override
    public void cancel(String jobId) throws IOException {
        try {
            send("POST", jobPath(jobId, "/cancel"), "{}", jobId);
        } catch (Conflict ended) {
            // it ended already: nothing to cancel, as over the control protocol
        }
    }

    @Override
    public String savepoint(String jobId, String directory, boolean stop) throws IOException {
        List<Path> roots = new ArrayList<>();
        send("GET", jobPath(jobId, ""), null, jobId).path("savepointRoots").forEach(r -> roots.add(Path.of(r.asText())));
        try {
            SavepointPaths.confine(directory, roots);
        } catch (HttpError outside) {
            if (opened == null) {
                opened = control.open();
            }
            return opened.savepoint(jobId, directory, stop);
        }
        String body = JSON.writeValueAsString(Map.of("target", directory));
        String request = send("POST", jobPath(jobId, stop ? "/stop" : "/savepoints"), body, jobId).path("requestId").asText();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SAVEPOINT_WAIT_MILLIS);
        while (true) {
            JsonNode status = send("GET", jobPath(jobId, "/savepoints/" + encode(request)), null, jobId);
            switch (status.path("state").asText()) {
                case "COMPLETED" -> {
                    return status.path("path").asText();
                }
                case "FAILED" -> throw new IOException(status.path("failure").asText("the savepoint failed"));
                default -> { }
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("Job " + jobId + ": savepoint into " + directory + " did not complete within "
                        + SAVEPOINT_WAIT_MILLIS + " ms");
            }
            sleep(100);
        }
    }

    private static String jobPath(String jobId, String rest) {
        return "/v1/jobs/" + encode(jobId) + rest;
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A job as {@code /v1/jobs} shows it, with the coordinator's extra fields (worker, failure, operators). */
    private static JobInfo info(JsonNode j) {
        List<OperatorCount> operators = new ArrayList<>();
        for (JsonNode o : j.path("operators")) {
            operators.add(new OperatorCount(o.path("nodeId").asInt(), o.path("name").asText(), o.path("recordsIn").asLong(),
                    o.path("recordsOut").asLong()));
        }
        return new JobInfo(j.path("id").asText(), j.path("jobName").asText(j.path("name").asText()),
                j.path("state").asText(), j.path("worker").asText(), j.path("restarts").asInt(), j.path("failure").asText(),
                j.path("durationMillis").asLong(), operators, j.path("parallelism").asInt());
    }

    /** A 409: the job is in a state that does not allow the action. */
    private static final class Conflict extends IOException {
        Conflict(String message) {
            super(message);
        }
    }

    /** Sends a request; its JSON answer, or an IOException saying why not (as the control protocol's client says). */
    private JsonNode send(String method, String path, String body, String jobId) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token.hex())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IOException("the coordinator at " + address + " did not answer: " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking the coordinator at " + address, e);
        }
        JsonNode json;
        try {
            json = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IOException("the coordinator at " + address + " answered " + method + " " + path + " with "
                    + response.statusCode() + " and no JSON", e);
        }
        int status = response.statusCode();
        String message = json.path("message").asText("HTTP " + status);
        return switch (status) {
            case 200, 202 -> json;
            case 400 -> throw new IOException(message.equals(RestApi.unknownJob(jobId))
                    ? "no job " + jobId + " on this coordinator" : message);
            case 409 -> throw new Conflict(message);
            case 401 -> throw new IOException("the coordinator at " + address + " refused the cluster token"
                    + (tokenOrigin.isEmpty() ? "" : " " + tokenOrigin) + ": " + message);
            default -> throw new IOException("the coordinator at " + address + " did not answer " + method + " " + path
                    + ": " + status + " " + message);
        };
    }

    private static String describe(IOException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a savepoint", e);
        }
    }

    @Override
    public void close() {
        http.close();
        if (opened != null) {
            opened.close();
        }
    }
}
