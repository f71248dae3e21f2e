package io.sluice.cli;

import static io.sluice.cli.RestCluster.samples;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.cluster.local.ClusterFile;
import io.sluice.web.PrometheusText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every registered worker reports its own gauges on its heartbeats, running a job or not: on a local cluster of 2
 * idle worker processes (no job ever submitted) each worker's JVM heap in use shows in the coordinator's
 * {@code /metrics} (parsed strictly) and in {@code /v1/overview}, above 0 and at most the {@code -Xmx} its process was
 * started with (read from the process's own command line); once a worker process is stopped its series are gone
 * while the other's stay. Every process is killed on every path.
 */
@Timeout(180)
class ClusterWorkerGaugesTest {
    private static final String HEAP_USED = "sluice_worker_jvm_heap_used_bytes";

    @Test
    void anIdleWorkersHeapShowsUntilTheWorkerStops(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("cluster");
        try (RestCluster c = RestCluster.start(dir, "--workers", "2", "--slots", "1", "--memory", "256m")) {
            ClusterFile cluster = c.cluster();
            List<ClusterFile.WorkerEntry> workers = cluster.workers();
            assertEquals(2, workers.size(), cluster.toString());

            List<PrometheusText.Sample> both = c.metricsUntil(s -> workers.stream()
                    .allMatch(w -> samples(s, HEAP_USED, "worker", w.id()).size() == 1));
            for (ClusterFile.WorkerEntry w : workers) {
                double used = samples(both, HEAP_USED, "worker", w.id()).getFirst().value();
                long xmx = maxHeapFlag(w.pid());
                assertTrue(used > 0 && used <= xmx, w.id() + ": heap in use " + used + " of -Xmx " + xmx);
            }
            JsonNode gauges = c.get("/v1/overview").get("workerGauges");
            for (ClusterFile.WorkerEntry w : workers) {
                double used = gauges.get(w.id()).get("sluice.worker.jvm.heap.used.bytes").asDouble();
                assertTrue(used > 0 && used <= maxHeapFlag(w.pid()), "the overview: " + gauges);
            }

            ClusterFile.WorkerEntry stopped = workers.get(1);
            ClusterFile.WorkerEntry kept = workers.get(0);
            ProcessHandle process = ProcessHandle.of(stopped.pid()).orElseThrow();
            process.destroy(); // SIGTERM: the worker closes its control stream, so it is lost at once
            process.onExit().get(30, TimeUnit.SECONDS);
            List<PrometheusText.Sample> after = c.metricsUntil(s -> s.stream()
                    .noneMatch(x -> stopped.id().equals(x.labels().get("worker"))));
            assertEquals(1, samples(after, HEAP_USED, "worker", kept.id()).size(), "the other worker's series stay");
            assertEquals(1, c.get("/v1/overview").get("workers").asInt());
        }
    }

    /**
     * The maximum heap process {@code pid} was started with: its {@code -Xmx} flag, in bytes, from its command line in
     * {@code /proc} (the JDK's {@code ProcessHandle.Info} leaves out arguments as long as a test's class path).
     */
    private static long maxHeapFlag(long pid) throws java.io.IOException {
        List<String> args = List.of(Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).split("\0"));
        String flag = args.stream().filter(a -> a.startsWith("-Xmx")).findFirst()
                .orElseThrow(() -> new AssertionError("worker " + pid + " was started without -Xmx: " + args));
        String size = flag.substring(4).toLowerCase(java.util.Locale.ROOT);
        long unit = switch (size.charAt(size.length() - 1)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            default -> 1;
        };
        return Long.parseLong(unit == 1 ? size : size.substring(0, size.length() - 1)) * unit;
    }
}
