package io.sluice.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.DataStream;
import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.JobClient;
import io.sluice.api.source.SequenceSource;
import io.sluice.api.types.Types;
import io.sluice.network.ClusterToken;
import io.sluice.runtime.cluster.LocalExecutor;
import io.sluice.runtime.config.EngineConfig;
import io.sluice.runtime.monitor.JobRegistry;
import io.sluice.web.Chromium.Wait;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * The dashboard with a job of {@value #VERTICES} vertices (a source, 198 maps, a sink; parallelism 1, so they run
 * chained in one task and the job costs one thread): every vertex box is drawn within 10 s of opening the job page,
 * the page keeps updating (the info line changes, the sink's records/s shows above 0), each refresh (five REST calls
 * and the redraw) takes under a second, and the graph wraps into bands rather than growing 40,000 px wide. Saves
 * {@code target/dashboard-200.png}.
 */
@Timeout(120)
class DashboardWideGraphTest {
    static final int VERTICES = 200;

    @Test
    void aJobOfTwoHundredVerticesRendersAndKeepsUpdating(@TempDir Path dir) throws Exception {
        ClusterToken token = ClusterToken.random();
        JobRegistry registry = new JobRegistry(1);
        StreamEnvironment env = StreamEnvironment.create().setParallelism(1)
                .setExecutor(new LocalExecutor(EngineConfig.defaults(), registry));
        DataStream<Long> stream = env.fromSource(new SequenceSource(0, 1_000_000_000L, 1_000), "numbers");
        for (int i = 1; i < VERTICES - 1; i++) {
            stream = stream.map(v -> v + 1, Types.LONG).name("map-" + i);
        }
        stream.sinkTo(Discard.<Long>sink()).name("sink");
        JobClient client = env.executeAsync("wide job");
        try (WebServer server = WebServer.start(registry, WebServer.Settings.loopback(token))) {
            Chromium.with(dir, driver -> check(driver, server.url(), token.hex()));
        } finally {
            client.cancel();
            try {
                client.await();
            } catch (Exception expected) {
                // cancelled
            }
        }
    }

    private static void check(WebDriver driver, String url, String token) throws Exception {
        Chromium.login(driver, url, token);
        new Wait(driver).until(d -> d.findElement(By.id("jobs")).getText().contains("wide job"));
        driver.get(url + "#job/job-1");
        Wait soon = new Wait(driver, Duration.ofSeconds(10));
        soon.until(d -> d.findElements(By.cssSelector("#graph g.vertex")).size() == VERTICES);
        assertEquals(VERTICES, driver.findElements(By.cssSelector("#graph text.rate")).size());
        int sink = VERTICES - 1;
        soon.until(d -> Double.parseDouble(d.findElement(By.cssSelector("#graph text.rate[data-vertex='" + sink + "']"))
                .getText().replace(" records/s", "")) > 0);
        double slowest = 0;
        for (int i = 0; i < 5; i++) { // five refreshes, each seen as a change of the info line
            String info = driver.findElement(By.id("job-info")).getText();
            soon.until(d -> !d.findElement(By.id("job-info")).getText().equals(info));
            slowest = Math.max(slowest, Double.parseDouble(driver.findElement(By.id("status")).getAttribute("data-refresh-ms")));
        }
        assertTrue(slowest < 1_000, "a refresh of the job page took " + slowest + " ms");
        double width = Double.parseDouble(driver.findElement(By.id("graph")).getAttribute("width"));
        assertTrue(width < 2_000, "the graph wraps into bands: " + width + " px wide");
        Chromium.screenshot(driver, "dashboard-200.png");
    }
}
