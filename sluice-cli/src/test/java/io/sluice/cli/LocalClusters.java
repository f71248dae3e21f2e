package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.cli.cluster.ClusterTarget;
import io.sluice.cluster.client.ClusterClient;
import io.sluice.cluster.local.ClusterFile;
import io.sluice.cluster.protocol.JobMessages.JobInfo;
import io.sluice.runtime.checkpoint.storage.FileSystemCheckpointStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Local clusters of real processes for tests ({@code bin/sluice cluster start} through {@link Main#execute}): every
 * process a test starts is remembered and killed (SIGKILL) by {@link #close()}, whatever the test's outcome, after
 * a {@code cluster stop} of each cluster still described. One test thread.
 */
final class LocalClusters implements AutoCloseable {
    private final List<Path> dirs = new ArrayList<>();
    private final List<Long> pids = new ArrayList<>();

    /** Starts a cluster of {@code workers} workers with {@code slots} slots each in {@code dir}; its description. */
    ClusterFile start(Path dir, int workers, int slots) throws IOException {
        return start(dir, "--workers", Integer.toString(workers), "--slots", Integer.toString(slots));
    }

    /** Starts a cluster in {@code dir} with {@code cluster start}'s {@code options}; its description. */
    ClusterFile start(Path dir, String... options) throws IOException {
        dirs.add(dir);
        List<String> args = new ArrayList<>(List.of("cluster", "start", "--dir", dir.toString()));
        args.addAll(List.of(options));
        MainTest.Result started = MainTest.run(args.toArray(String[]::new));
        ClusterFile cluster = Files.exists(dir.resolve(ClusterFile.NAME)) ? ClusterFile.read(dir) : null;
        if (cluster != null) {
            remember(cluster);
        }
        assertEquals(0, started.exit(), "cluster start: " + started);
        return cluster;
    }

    /** Remembers the processes of {@code cluster} (after add-worker, say), to kill them at the end. */
    void remember(ClusterFile cluster) {
        cluster.workers().forEach(w -> pids.add(w.pid()));
        pids.add(cluster.coordinatorPid());
    }

    /** A client of the cluster in {@code dir}. */
    static ClusterClient client(Path dir) throws IOException {
        return ClusterTarget.resolve(dir.toString(), Path.of("unused"), null).connect();
    }

    /** The job {@code jobId} as the coordinator describes it, {@code null} if it cannot be asked. */
    static JobInfo job(ClusterClient client, String jobId) {
        try {
            return client.job(jobId);
        } catch (IOException e) {
            return null;
        }
    }

    /** The id of the newest completed checkpoint under {@code checkpoints}, 0 if none. */
    static long completedCheckpoints(Path checkpoints) {
        try {
            return Files.isDirectory(checkpoints)
                    ? new FileSystemCheckpointStorage(checkpoints).latestCompletedId().orElse(0) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Whether process {@code pid} is alive. */
    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Waits until {@code condition} holds, failing with {@code what} after {@code seconds}. */
    static void awaitTrue(BooleanSupplier condition, int seconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what + " within " + seconds + " s");
            Thread.sleep(50);
        }
    }

    /** Stops each cluster still described by its cluster.json, then kills every process remembered. */
    @Override
    public void close() throws InterruptedException {
        for (Path dir : dirs) {
            if (Files.exists(dir.resolve(ClusterFile.NAME))) {
                MainTest.run("cluster", "stop", "--dir", dir.toString());
            }
        }
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(p -> {
                p.destroyForcibly();
                p.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> p).join();
            });
        }
    }
}
