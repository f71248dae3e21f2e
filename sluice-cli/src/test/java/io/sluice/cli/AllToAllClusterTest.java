package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.cluster.local.ClusterFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An all-to-all keyBy at parallelism 64 runs on a local cluster of 4 worker processes with 16 slots each and the
 * smallest default memory ({@code --memory 256m}: 25.6 MiB of network buffers, a 115 MiB heap, direct memory capped at
 * 89 MiB): each worker holds its 768 remote input channels and 768 remote output channels of the edge in its pool, and
 * the output is exactly the oracle's. Every process is killed on every path.
 */
class AllToAllClusterTest {
    private static final int PARALLELISM = 64;
    private static final long RECORDS = 64 * 1000;

    @Test
    @Timeout(180)
    void aKeyByAtParallelism64On4WorkersGivesTheOraclesOutput(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("cluster");
        Path out = tmp.resolve("out").toAbsolutePath();
        try (LocalClusters clusters = new LocalClusters()) {
            long start = System.nanoTime();
            ClusterFile cluster = clusters.start(dir, "--workers", "4", "--slots", "16", "--placement", "tasks",
                    "--memory", "256m");
            long started = System.nanoTime();
            int exit = Main.execute("run", AllToAllMain.class.getName(), "--cluster", dir.toString(),
                    "--progress-interval", "0", Integer.toString(PARALLELISM), Long.toString(RECORDS), out.toString());
            long ran = System.nanoTime();
            assertEquals(0, exit, "the job's exit status");
            List<Long> actual = new ArrayList<>(ClusterRandomPipelinesTest.lines(out).stream().map(Long::parseLong)
                    .toList());
            actual.sort(null);
            assertEquals(oracle(), actual);
            System.out.printf("AllToAllClusterTest: %d workers up in %.1f s, the job ran in %.1f s%n",
                    cluster.workers().size(), (started - start) / 1e9, (ran - started) / 1e9);
        }
    }

    /** Each key's running counts 1..n, as {@code key * 1_000_000 + count}, sorted. */
    private static List<Long> oracle() {
        Map<Long, Long> counts = new HashMap<>();
        List<Long> expected = new ArrayList<>();
        for (long x = 1; x <= RECORDS; x++) {
            long key = x % AllToAllMain.KEYS;
            long count = counts.merge(key, 1L, Long::sum);
            expected.add(key * AllToAllMain.KEY_FACTOR + count);
        }
        expected.sort(null);
        return expected;
    }
}
