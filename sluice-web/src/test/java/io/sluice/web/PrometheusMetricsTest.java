package io.sluice.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.execution.OperatorMetrics;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /metrics} parses as Prometheus text and its counters are the job's counts. */
class PrometheusMetricsTest {

    @Test
    void countersMatchTheJobsCountsOnceItEnded(@TempDir Path dir) throws Exception {
        try (RunningJob job = new RunningJob(dir); Http http = new Http("http://" + job.server.address(), job.token.hex())) {
            List<PrometheusText.Sample> running = waitForCheckpoint(http);
            assertTrue(running.stream().anyMatch(s -> s.name().equals("sluice_backpressured_ratio")), "ratios listed");
            assertTrue(running.stream().anyMatch(s -> s.name().equals("jvm_memory_used_bytes")), "JVM memory listed");
            assertTrue(running.stream().anyMatch(s -> s.name().equals("process_uptime_seconds")), "uptime listed");
            job.client.cancel();
            try {
                job.client.await();
            } catch (Exception cancelled) {
                // expected
            }
            List<PrometheusText.Sample> ended = PrometheusText.parse(http.get("/metrics").body());
            for (OperatorMetrics op : job.client.progress().operators()) {
                String vertex = Integer.toString(op.nodeId());
                assertEquals(op.recordsOut(), sum(ended, "sluice_records_out_total", vertex), op.name() + " out");
                assertEquals(op.recordsIn(), sum(ended, "sluice_records_in_total", vertex), op.name() + " in");
            }
            assertTrue(sum(ended, "sluice_records_out_total", "0") > 0);
            assertTrue(ended.stream().filter(s -> s.name().equals("sluice_records_in_total"))
                    .allMatch(s -> s.labels().keySet().equals(java.util.Set.of("job", "vertex", "operator", "subtask"))),
                    "bounded labels only");
            assertEquals(0, sum(ended, "sluice_job_running", null));
        }
    }

    @Test
    void theParserIsStrict() {
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse("x 1\n"));
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse("# TYPE x gauge\nx{a=\"b} 1\n"));
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse("# TYPE x gauge\nx one\n"));
        assertEquals(1, PrometheusText.parse("# TYPE x counter\nx_total{a=\"\\\"q\\\"\"} 1.5e3\n").size());
    }

    private static List<PrometheusText.Sample> waitForCheckpoint(Http http) throws Exception {
        for (int i = 0; i < 200; i++) {
            Http.Reply r = http.get("/metrics");
            assertEquals(200, r.status());
            assertTrue(r.body().contains("# TYPE"), r.body());
            List<PrometheusText.Sample> samples = PrometheusText.parse(r.body());
            if (sum(samples, "sluice_checkpoints_completed_total", null) >= 1) {
                return samples;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no completed checkpoint in /metrics within 20 s");
    }

    private static long sum(List<PrometheusText.Sample> samples, String name, String vertex) {
        return (long) samples.stream().filter(s -> s.name().equals(name))
                .filter(s -> vertex == null || vertex.equals(s.labels().get("vertex")))
                .mapToDouble(PrometheusText.Sample::value).sum();
    }
}
