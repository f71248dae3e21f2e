package io.sluice.cli.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.cli.Main;
import io.sluice.cluster.client.ClusterClient;
import io.sluice.cluster.local.ClusterFile;
import io.sluice.network.ClusterToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/sluice cluster start|status|stop} with real processes on loopback: a coordinator and two workers start
 * in the background and are described by cluster.json; a worker killed with SIGKILL drops out of the status within
 * the heartbeat timeout; stop ends every process. With {@code --tls}, clients reach the cluster with its certificates
 * and nothing reaches it without. Every process is killed on every path.
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

    private static void awaitLog(Path log, String line) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.readString(log).contains(line)) {
            assertTrue(System.nanoTime() < deadline, log + " says '" + line + "' within 10 s: " + Files.readString(log));
            Thread.sleep(50);
        }
    }

    @Test
    @Timeout(120)
    void aClusterWithTlsServesClientsWithItsCertificatesAndRefusesOthers(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("cluster");
        Path tls = dir.resolve("tls");
        List<Long> pids = new ArrayList<>();
        try {
            String started = run("cluster", "start", "--workers", "1", "--tls", "--dir", dir.toString());
            pids.addAll(pids(dir));
            assertTrue(started.contains("TLS: made certificates for coordinator, client, worker-1 in " + tls), started);
            assertTrue(started.contains("mutual TLS with the certificates in " + tls), started);
            ClusterFile cluster = ClusterFile.read(dir);
            assertEquals(tls.toString(), cluster.tlsDir());
            assertTrue(Files.readString(dir.resolve(ClusterFile.NAME)).contains("\"tlsDir\" : \"" + tls + "\""));
            for (String file : List.of("ca.pem", "ca.key", "coordinator.pem", "coordinator.key", "worker-1.pem", "client.key")) {
                assertTrue(Files.exists(tls.resolve(file)), file);
            }
            awaitLog(dir.resolve("logs/coordinator.log"), "(mutual TLS as CN=coordinator,O=Sluice");

            String status = run("cluster", "status", "--dir", dir.toString());
            assertTrue(status.contains(": 1 worker(s), 2 slot(s), 0 job(s)"), status);
            assertTrue(run("list", "--cluster", dir.toString()).contains("no jobs"));
            Path input = tmp.resolve("in.txt");
            Files.writeString(input, "to be or not to be\n".repeat(50));
            String counted = run("run", "counts", "--input", input.toString(), "--output", tmp.resolve("out").toString(),
                    "--cluster", cluster.coordinator(), "--token-file", cluster.tokenFile(), "--tls-dir", tls.toString());
            assertTrue(counted.startsWith("Job 'counts' finished"), counted);
            List<String> lines = new ArrayList<>();
            try (var files = Files.walk(tmp.resolve("out"))) {
                for (Path f : files.filter(f -> Files.isRegularFile(f) && !f.getFileName().toString().startsWith(".")).toList()) {
                    lines.addAll(Files.readAllLines(f));
                }
            }
            assertEquals(300, lines.size(), "every word counted on the cluster, submitted over TLS: " + lines);
            assertTrue(lines.contains("be\t100"), "the last count of 'be': " + lines);

            // no certificate, no service: a plain client with the right token
            try (ClusterClient plain = new ClusterClient(cluster.coordinatorHost(), cluster.coordinatorPort(),
                    ClusterToken.read(Path.of(cluster.tokenFile())), Optional.empty())) {
                assertThrows(IOException.class, plain::status);
            }
            awaitLog(dir.resolve("logs/coordinator.log"), "Refused the control connection from /127.0.0.1:");
            // nor on a worker's data port
            try (Socket socket = new Socket("127.0.0.1", cluster.workers().getFirst().dataPort())) {
                socket.setSoTimeout(5_000);
                socket.getOutputStream().write("SLDP hello in plain TCP".getBytes(StandardCharsets.US_ASCII));
                assertEquals(-1, socket.getInputStream().read(), "the data server closes a plain connection");
            }
            awaitLog(dir.resolve("logs/worker-1.log"), "it does not speak TLS");

            String added = run("cluster", "add-worker", "--dir", dir.toString());
            pids.add(ClusterFile.read(dir).workers().getLast().pid());
            assertTrue(added.contains("TLS: made certificates for worker-2 in " + tls), "the CA issued one more: " + added);
            status = run("cluster", "status", "--dir", dir.toString());
            assertTrue(status.contains(": 2 worker(s), 4 slot(s)"), status);

            String stopped = run("cluster", "stop", "--dir", dir.toString());
            assertTrue(stopped.contains("Cluster stopped: 3 process(es) ended"), stopped);
            for (long pid : pids) {
                assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " ended");
            }
        } finally {
            for (long pid : pids) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }
}
