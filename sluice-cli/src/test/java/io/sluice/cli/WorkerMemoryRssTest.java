package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.cluster.local.ClusterFile;
import io.sluice.nexmark.run.RunLine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker's memory limit holds while its RocksDB state grows past it: a worker started with {@code --memory 256m}
 * (heap 45% of it, RocksDB's managed share 30%) runs a job whose keyed state reaches 10 times the limit, and its peak
 * resident set stays within the limit plus a stated tolerance. Linux only (the peak is {@code VmHWM}).
 */
class WorkerMemoryRssTest {
    private static final long LIMIT_MIB = 256;
    /** JVM start-up and code beyond the budget's own 25% reserve: metaspace, code cache, thread stacks, Netty. */
    private static final double TOLERANCE = 0.25;
    private static final int VALUE_BYTES = 100;

    @Test
    @Timeout(300)
    void aWorkersPeakRssStaysWithinItsLimitWhileItsStateGrowsToTenTimesIt(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("cluster");
        long keys = LIMIT_MIB * 10 * (1L << 20) / (8 + VALUE_BYTES) + 1;
        ExecutorService client = Executors.newSingleThreadExecutor();
        try (LocalClusters clusters = new LocalClusters()) {
            ClusterFile cluster = clusters.start(dir, "--workers", "1", "--slots", "1", "--memory", LIMIT_MIB + "m");
            long worker = cluster.workers().getFirst().pid();
            Future<Integer> run = client.submit(() -> Main.execute("run", LargeStateJob.class.getName(), "--cluster",
                    dir.toString(), "--state-backend", "rocksdb", "--parallelism", "1", "--progress-interval", "0",
                    Long.toString(keys), Integer.toString(VALUE_BYTES)));
            assertEquals(0, run.get(240, TimeUnit.SECONDS), "the job finishes");
            long peakMib = RunLine.peakRssMbOf(Files.readString(Path.of("/proc/" + worker + "/status")));
            long stateMib = Math.round(keys * (8.0 + VALUE_BYTES) / (1 << 20));
            long bound = Math.round(LIMIT_MIB * (1 + TOLERANCE));
            String log = Files.readString(Path.of(cluster.workers().getFirst().log()));
            assertTrue(log.contains("the RocksDB backends of each slot here share"), "the worker set RocksDB's budget: " + log);
            assertTrue(peakMib > 0 && peakMib <= bound, "the worker's peak RSS is " + peakMib + " MiB with " + stateMib
                    + " MiB of state; its limit is " + LIMIT_MIB + " MiB, +" + Math.round(TOLERANCE * 100) + "% = " + bound);
            System.out.println("worker peak RSS " + peakMib + " MiB, limit " + LIMIT_MIB + " MiB, state " + stateMib + " MiB");
        } finally {
            client.shutdownNow();
        }
    }
}
