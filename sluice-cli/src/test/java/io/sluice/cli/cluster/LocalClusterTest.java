package io.sluice.cli.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.cli.Main;
import io.sluice.cluster.local.ClusterFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/sluice cluster start|status|stop} with real processes on loopback: a coordinator and two workers start
 * in the background and are described by cluster.json; a worker killed with SIGKILL drops out of the status within
 * the heartbeat timeout; stop ends every process. Every process is killed on every path.
 */
class LocalClusterTest {

    private static String run(String... args) {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int exit = Main.execute(args);
            assertEquals(0, exit, String.join(" ", args) + " printed: " + captured);
        } finally {
            System.setOut(out);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static List<Long> pids(Path dir) throws IOException {
        ClusterFile cluster = ClusterFile.read(dir);
        List<Long> pids = new ArrayList<>();
        cluster.workers().forEach(w -> pids.add(w.pid()));
        pids.add(cluster.coordinatorPid());
        return pids;
    }

    @Test
    @Timeout(120)
    void startStatusWorkerLossAndStop(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("cluster");
        List<Long> pids = new ArrayList<>();
        try {
            String started = run("cluster", "start", "--workers", "2", "--slots", "3", "--dir", dir.toString());
            assertTrue(started.startsWith("Cluster started: coordinator 127.0.0.1:"), started);
            pids.addAll(pids(dir));
            ClusterFile cluster = ClusterFile.read(dir);
            assertEquals(List.of("worker-1", "worker-2"), cluster.workers().stream().map(ClusterFile.WorkerEntry::id).toList());
            assertTrue(cluster.coordinator().startsWith("127.0.0.1:"), cluster.coordinator());
            for (ClusterFile.WorkerEntry w : cluster.workers()) {
                assertTrue(w.dataPort() > 0, "worker " + w.id() + " serves data on a port of its own: " + w);
                try (java.net.Socket s = new java.net.Socket("127.0.0.1", w.dataPort())) {
                    assertTrue(s.isConnected(), "its data server accepts connections");
                }
            }
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(cluster.tokenFile()))));
            for (long pid : pids) {
                assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " runs");
            }
            assertTrue(Files.exists(dir.resolve("logs/coordinator.log")) && Files.exists(dir.resolve("logs/worker-2.log")));

            String status = run("cluster", "status", "--dir", dir.toString());
            assertTrue(status.contains(": 2 worker(s), 6 slot(s), 0 job(s)"), status);

            ProcessHandle.of(cluster.workers().getFirst().pid()).orElseThrow().destroyForcibly(); // SIGKILL
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!(status = run("cluster", "status", "--dir", dir.toString())).contains(": 1 worker(s), 3 slot(s)")) {
                assertTrue(System.nanoTime() < deadline, "the killed worker is lost within 30 s: " + status);
                Thread.sleep(200);
            }
            assertFalse(status.contains("worker-1 "), status);
            String coordinatorLog = Files.readString(dir.resolve("logs/coordinator.log"));
            assertTrue(coordinatorLog.contains("Worker worker-1 lost"), "the coordinator's log says so: " + coordinatorLog);

            String stopped = run("cluster", "stop", "--dir", dir.toString());
            assertTrue(stopped.contains("Cluster stopped: 2 process(es) ended"), stopped);
            for (long pid : pids) {
                assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " ended");
            }
            assertFalse(Files.exists(dir.resolve(ClusterFile.NAME)));
        } finally {
            for (long pid : pids) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }
}
