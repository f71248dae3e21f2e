package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.connectors.kafka.KafkaBrokerExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import io.sluice.cluster.client.ClusterClient;
import io.sluice.cluster.local.ClusterFile;
import io.sluice.cluster.protocol.JobMessages.JobInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice run kafka-counts} as users run it: a separate Sluice process, killed with SIGKILL 4 times while it
 * works and resumed with {@code --from-checkpoint latest}; a read_committed consumer then sees every word's values
 * n = 1..N exactly once and reaches the log end (no transaction left open). And {@code sluice kafka start|stop}.
 */
class KafkaCountsCommandTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @Test
    void killedFourTimesWithSigkillAndResumedTheCountsAreExactlyOnce(@TempDir Path dir) throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String context = "seed " + seed;
        KAFKA.kafka().createTopic("cli-in", 2);
        KAFKA.kafka().createTopic("cli-out", 2);
        Map<String, Integer> expected = new TreeMap<>();
        Path ckp = dir.resolve("ckp");
        for (int round = 0; round <= 4; round++) {
            KafkaCountsOracle.produceLines(KAFKA.kafka(), "cli-in", random, 400, expected);
            Process sluice = start(dir, ckp, round > 0);
            try {
                if (round < 4) {
                    // Kill once this run committed something (a checkpoint completed), with work in flight.
                    int before = KAFKA.kafka().readCommittedSoFar("cli-out").size();
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (KAFKA.kafka().readCommittedSoFar("cli-out").size() == before) {
                        assertTrue(sluice.isAlive(), context + ": the Sluice process ended: "
                                + Files.readString(dir.resolve("sluice.log")));
                        assertTrue(System.nanoTime() < deadline, context + ": run " + round + " committed nothing");
                        Thread.sleep(100);
                    }
                    Thread.sleep(random.nextInt(800));
                    sluice.destroyForcibly(); // SIGKILL
                    assertTrue(sluice.waitFor(30, TimeUnit.SECONDS), context + ": the Sluice process did not die");
                } else {
                    long total = KafkaCountsOracle.total(expected);
                    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                    while (KAFKA.kafka().readCommittedSoFar("cli-out").size() < total) {
                        assertTrue(sluice.isAlive(), context + ": the Sluice process ended: "
                                + Files.readString(dir.resolve("sluice.log")));
                        assertTrue(System.nanoTime() < deadline, context + ": not every count committed in 90 s");
                        Thread.sleep(200);
                    }
                }
            } finally {
                sluice.destroyForcibly();
                sluice.waitFor(30, TimeUnit.SECONDS);
            }
        }
        KafkaCountsOracle.checkExactlyOnce(KAFKA.kafka(), "cli-out", expected, context);
    }

    /**
     * {@code run kafka-counts --cluster}: the job on a local cluster of a coordinator and 2 workers of 1 slot, its
     * tasks spread over both (parallelism 2), reading and writing Kafka while more input arrives; a read_committed
     * consumer sees every count exactly once and reaches the log end, and the workers' readers commit the input
     * offsets to the group when checkpoints complete (they reach the input's end). Every process is killed on every
     * path (LocalClusters, and a shutdown hook for a run cut short).
     */
    @Test
    void onAClusterOfTwoWorkersTheCountsAreExactlyOnce(@TempDir Path tmp) throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String context = "seed " + seed + ", cluster of 2 workers";
        KAFKA.kafka().createTopic("cluster-in", 2);
        KAFKA.kafka().createTopic("cluster-out", 2);
        Map<String, Integer> expected = new TreeMap<>();
        KafkaCountsOracle.produceLines(KAFKA.kafka(), "cluster-in", random, 500, expected);
        Path dir = tmp.resolve("cluster");
        ExecutorService client = Executors.newSingleThreadExecutor();
        List<Long> pids = new ArrayList<>();
        Thread hook = new Thread(() -> pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly)));
        Runtime.getRuntime().addShutdownHook(hook);
        try (LocalClusters clusters = new LocalClusters()) {
            ClusterFile cluster = clusters.start(dir, "--workers", "2", "--slots", "1", "--placement", "tasks");
            cluster.workers().forEach(w -> pids.add(w.pid()));
            pids.add(cluster.coordinatorPid());
            Future<Integer> run = client.submit(() -> Main.execute("run", "kafka-counts",
                    "--bootstrap-servers", KAFKA.kafka().bootstrap(), "--input-topic", "cluster-in",
                    "--output-topic", "cluster-out", "--group-id", "cluster-group", "--parallelism", "2",
                    "--checkpoint-interval", "300ms", "--checkpoint-dir", tmp.resolve("ckp").toString(),
                    "--progress-interval", "0", "--restart-delay", "100ms", "--cluster", dir.toString()));
            try (ClusterClient coordinator = LocalClusters.client(dir)) {
                LocalClusters.awaitTrue(() -> run.isDone()
                        || KAFKA.kafka().readCommittedSoFar("cluster-out").size() > 0, 60,
                        context + ": the first counts committed");
                assertFalse(run.isDone(), context + ": the client ended early");
                JobInfo job = coordinator.jobs().getFirst();
                assertEquals(2, job.worker().split(",").length, context + ": tasks on both workers: " + job);
                KafkaCountsOracle.produceLines(KAFKA.kafka(), "cluster-in", random, 500, expected);
                long total = KafkaCountsOracle.total(expected);
                LocalClusters.awaitTrue(() -> KAFKA.kafka().readCommittedSoFar("cluster-out").size() >= total, 90,
                        context + ": all " + total + " counts committed");
                LocalClusters.awaitTrue(() -> groupReachedEnd("cluster-group", "cluster-in"), 60,
                        context + ": the input offsets committed to the group at checkpoint completion");
                Thread.sleep(500); // a duplicate committed late would show
                coordinator.cancel(job.jobId());
                run.get(60, TimeUnit.SECONDS);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\njobs " + jobsOf(dir) + "\nread_uncommitted outputs " + KAFKA.kafka().readAll("cluster-out",
                        "read_uncommitted", Duration.ofSeconds(10)).size() + ", group at end " + groupReachedEnd(
                        "cluster-group", "cluster-in") + "\nnewest checkpoint "
                        + LocalClusters.completedCheckpoints(tmp.resolve("ckp")) + "\n" + logTails(dir.resolve("logs")), e);
            }
        } finally {
            client.shutdownNow();
            pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        KafkaCountsOracle.checkExactlyOnce(KAFKA.kafka(), "cluster-out", expected, context);
    }

    private static String jobsOf(Path dir) {
        try (ClusterClient c = LocalClusters.client(dir)) {
            return c.jobs().toString();
        } catch (Exception e) {
            return "(unknown: " + e + ")";
        }
    }

    /** The last lines of each log of a cluster, for a failure's message. */
    private static String logTails(Path logs) {
        StringBuilder b = new StringBuilder();
        try (var files = Files.list(logs)) {
            for (Path f : files.sorted().toList()) {
                List<String> lines = Files.readAllLines(f);
                b.append("--- ").append(f.getFileName()).append(" (last 40 lines)\n");
                lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(l -> b.append(l).append('\n'));
            }
        } catch (java.io.IOException e) {
            b.append("(logs unreadable: ").append(e).append(")");
        }
        return b.toString();
    }

    /** Whether group {@code group} committed the log end offset of every partition of {@code topic}. */
    private static boolean groupReachedEnd(String group, String topic) {
        try {
            var admin = KAFKA.kafka().admin;
            var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            var request = new java.util.HashMap<org.apache.kafka.common.TopicPartition,
                    org.apache.kafka.clients.admin.OffsetSpec>();
            for (int p = 0; p < 2; p++) {
                request.put(new org.apache.kafka.common.TopicPartition(topic, p),
                        org.apache.kafka.clients.admin.OffsetSpec.latest());
            }
            var ends = admin.listOffsets(request).all().get(30, TimeUnit.SECONDS);
            return ends.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null
                    && committed.get(e.getKey()).offset() == e.getValue().offset());
        } catch (Exception e) {
            return false;
        }
    }

    /** The CLI in its own JVM (the test's class path), its output appended to {@code dir/sluice.log}. */
    private static Process start(Path dir, Path ckp, boolean resume) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run", "kafka-counts",
                "--bootstrap-servers", KAFKA.kafka().bootstrap(), "--input-topic", "cli-in", "--output-topic", "cli-out",
                "--parallelism", "2", "--checkpoint-interval", "300ms", "--checkpoint-dir", ckp.toString(),
                "--progress-interval", "0", "--restart-delay", "100ms"));
        if (resume) {
            command.addAll(List.of("--from-checkpoint", "latest"));
        }
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("sluice.log").toFile())).start();
    }

    @Test
    void kafkaStartPrintsTheBootstrapAddressAndStopStopsIt(@TempDir Path dir) throws Exception {
        Path brokerDir = dir.resolve("kafka");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int started;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            started = Main.execute("kafka", "start", "--dir", brokerDir.toString(), "--port", "0");
        } finally {
            System.setOut(original);
        }
        long pid = Files.exists(brokerDir.resolve("broker.pid"))
                ? Long.parseLong(Files.readString(brokerDir.resolve("broker.pid")).strip()) : -1;
        try {
            assertEquals(0, started, out.toString(StandardCharsets.UTF_8));
            String address = out.toString(StandardCharsets.UTF_8).strip();
            assertTrue(address.matches("127\\.0\\.0\\.1:\\d+"), address);
            assertEquals(0, Main.execute("kafka", "stop", "--dir", brokerDir.toString()));
            assertTrue(ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), "broker " + pid + " still runs");
        } finally {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
