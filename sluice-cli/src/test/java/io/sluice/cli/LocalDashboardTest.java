package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run counts ... --web-port P}: while the job runs on the embedded cluster, the REST API on 127.0.0.1:P lists
 * it behind the token of {@code --token-file} (created by the command); once the command returned, nothing listens.
 */
@Timeout(120)
class LocalDashboardTest {

    @Test
    void theRunServesItsJobWhileItRuns(@TempDir Path tmp) throws Exception {
        Path input = tmp.resolve("in.txt");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            lines.add("a b c " + i);
        }
        Files.write(input, lines);
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path tokenFile = tmp.resolve("state/token");
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Main.execute("run", "counts", "--input",
                input.toString(), "--output", tmp.resolve("out").toString(), "--rate", "100", "--parallelism", "1",
                "--progress-interval", "0", "--web-port", Integer.toString(port), "--token-file", tokenFile.toString()));
        try (HttpClient http = HttpClient.newHttpClient()) {
            String body = "";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!body.contains("\"RUNNING\"") && System.nanoTime() < deadline && !run.isDone()) {
                if (Files.exists(tokenFile)) {
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                + "/v1/jobs")).header("Authorization", "Bearer " + Files.readString(tokenFile).strip())
                                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                        assertEquals(200, r.statusCode(), r.body());
                        body = r.body();
                    } catch (java.net.ConnectException notYet) {
                        // the server starts with the command
                    }
                }
                Thread.sleep(100);
            }
            assertTrue(body.contains("\"name\":\"counts\"") && body.contains("\"RUNNING\""), body);
        } finally {
            assertEquals(0, run.get(60, TimeUnit.SECONDS));
        }
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
            throw new AssertionError("the server still listens after the command returned");
        } catch (java.net.ConnectException expected) {
            // closed with the command
        }
    }
}
