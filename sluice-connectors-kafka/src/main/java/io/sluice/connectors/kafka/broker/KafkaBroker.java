package io.sluice.connectors.kafka.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A single-node Apache Kafka broker in KRaft mode (broker and controller in one process), run as a separate JVM from
 * the Kafka jars on a given class path, listening on 127.0.0.1 only. For tests and for
 * {@code sluice kafka start}; never for production.
 *
 * <p>Layout of its directory: {@code server.properties}, {@code data/} (the formatted log directory), {@code broker.log}
 * (the process's standard output and error), {@code broker.pid} and {@code bootstrap} (its address) while it runs.
 *
 * <p>Process hygiene: {@link #start} registers a shutdown hook that kills the process when this JVM exits, unless
 * {@link #detach()} is called (the CLI's {@code kafka start} leaves it running on purpose). {@link #close()} stops it
 * (SIGTERM, then SIGKILL after a bounded wait). Every wait is bounded. Not thread-safe: one owner.
 */
public final class KafkaBroker implements AutoCloseable {
    /** How long a start may take before it is given up (a JVM start, storage format and a KRaft election). */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final int PORT_ATTEMPTS = 5;

    private final Path dir;
    private final String javaHome;
    private final String classPath;
    private final int brokerPort;
    private final int controllerPort;
    private final Map<String, String> overrides;
    private Process process;
    private Thread shutdownHook;

    private KafkaBroker(Path dir, String javaHome, String classPath, int brokerPort, int controllerPort,
            Map<String, String> overrides) {
        this.dir = dir;
        this.javaHome = javaHome;
        this.classPath = classPath;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.overrides = Map.copyOf(overrides);
    }

    /**
     * Formats {@code dir} (when it holds no formatted log directory yet) and starts a broker in it; returns once an
     * admin client could describe the cluster. {@code port} 0 picks a free one (retried when another process takes
     * it between the pick and the bind). {@code overrides} are extra broker settings. {@code javaHome} is the JDK to
     * run it with and {@code classPath} holds {@code kafka_2.13} and its dependencies (the caller's edge reads both
     * from its own process: library code reads no system properties).
     */
    public static KafkaBroker start(Path dir, int port, Map<String, String> overrides, String javaHome,
            String classPath) throws IOException {
        Files.createDirectories(dir);
        IOException last = null;
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            int brokerPort = port != 0 ? port : freePort();
            int controllerPort = freePort();
            KafkaBroker broker = new KafkaBroker(dir.toAbsolutePath(), javaHome, classPath, brokerPort, controllerPort,
                    overrides);
            try {
                broker.launch();
                return broker;
            } catch (IOException e) {
                broker.close();
                last = e;
                if (port != 0 || !broker.log().contains("Address already in use")) {
                    throw e;
                }
            }
        }
        throw last;
    }

    /** {@code 127.0.0.1:port}: what clients pass as {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    public Path dir() {
        return dir;
    }

    /** The broker process's id, or -1 when it is not running. */
    public long pid() {
        return process != null && process.isAlive() ? process.pid() : -1;
    }

    /** Kills the broker with SIGKILL (a crash: nothing flushed), waiting until it is gone. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitFor(process, Duration.ofSeconds(30));
        }
    }

    /** Starts the broker again on the same directory and ports (after {@link #kill} or {@link #close}). */
    public void restart() throws IOException {
        kill();
        launch();
    }

    /** Leaves the process running when this JVM exits (the CLI's {@code kafka start}). */
    public void detach() {
        removeHook();
    }

    /** Stops the broker: SIGTERM, then SIGKILL if it has not exited within 20 s. Idempotent. */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!waitFor(process, Duration.ofSeconds(20))) {
                process.destroyForcibly();
                waitFor(process, Duration.ofSeconds(20));
            }
        }
        removeHook();
        deleteQuietly(dir.resolve("broker.pid"));
        deleteQuietly(dir.resolve("bootstrap"));
    }

    private void launch() throws IOException {
        Path props = dir.resolve("server.properties");
        writeProperties(props);
        Path data = dir.resolve("data");
        if (!Files.exists(data.resolve("meta.properties"))) {
            format(props);
        }
        Path log = dir.resolve("broker.log");
        process = new ProcessBuilder(javaCommand("kafka.Kafka", props.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        removeHook();
        Process p = process;
        shutdownHook = new Thread(p::destroyForcibly, "sluice kafka broker killer (" + dir + ")");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        awaitReady();
        Files.writeString(dir.resolve("broker.pid"), Long.toString(process.pid()) + "\n");
        Files.writeString(dir.resolve("bootstrap"), bootstrapServers() + "\n");
    }

    private void writeProperties(Path file) throws IOException {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("log.dirs", dir.resolve("data").toString());
        p.setProperty("num.partitions", "1");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "3");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "3");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("auto.create.topics.enable", "false");
        // Small and quick: a development broker, not a production one.
        p.setProperty("num.network.threads", "2");
        p.setProperty("num.io.threads", "2");
        p.setProperty("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
        // One node is its own controller: a heartbeat late by the default 9 s (a laptop or CI machine busy with
        // builds, a long GC pause) fences the broker, and every partition is without a leader until it registers
        // again; producers then stall. There is no other broker to fail over to, so only waiting longer helps.
        p.setProperty("broker.session.timeout.ms", "30000");
        overrides.forEach(p::setProperty);
        try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(out, "written by Sluice's KafkaBroker");
        }
    }

    private void format(Path props) throws IOException {
        List<String> command = javaCommand("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(),
                "-c", props.toString(), "--ignore-formatted");
        Path log = dir.resolve("format.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        try {
            if (!waitFor(p, Duration.ofSeconds(60))) {
                throw new IOException("formatting the Kafka storage in " + dir + " took longer than 60 s");
            }
            if (p.exitValue() != 0) {
                throw new IOException("formatting the Kafka storage in " + dir + " failed (exit " + p.exitValue()
                        + "): " + tail(Files.readString(log)));
            }
        } finally {
            p.destroyForcibly();
        }
    }

    private List<String> javaCommand(String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(javaHome, "bin", "java").toString());
        // A development broker: a small heap, quick start (C1 only), no Unsafe warnings.
        command.addAll(List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "--sun-misc-unsafe-memory-access=allow", "-Dlog4j2.level=WARN",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", classPath, mainClass));
        command.addAll(List.of(args));
        return command;
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Properties props = new Properties();
        props.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        props.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        try (Admin admin = Admin.create(props)) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IOException("the Kafka broker in " + dir + " exited with " + process.exitValue()
                            + " while starting: " + tail(log()));
                }
                try {
                    if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    // not up yet
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for the Kafka broker in " + dir, e);
                }
                sleep(200);
            }
        }
        throw new IOException("the Kafka broker in " + dir + " did not answer within " + START_TIMEOUT.toSeconds()
                + " s: " + tail(log()));
    }

    private String log() {
        try {
            Path log = dir.resolve("broker.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    private static String tail(String text) {
        return text.length() <= 2000 ? text : "..." + text.substring(text.length() - 2000);
    }

    private void removeHook() {
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down already: the hook runs anyway
            }
            shutdownHook = null;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean waitFor(Process p, Duration timeout) {
        try {
            return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return false;
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // a stale pid file is harmless: `kafka stop` checks the process
        }
    }
}
