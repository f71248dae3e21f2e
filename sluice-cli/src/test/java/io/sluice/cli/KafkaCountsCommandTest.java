package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.connectors.kafka.KafkaBrokerExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
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
            produceLines(random, 400, expected);
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
                    long total = expected.values().stream().mapToLong(Integer::longValue).sum();
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
        List<ConsumerRecord<byte[], byte[]>> out = KAFKA.kafka().readAll("cli-out", "read_committed",
                Duration.ofSeconds(30));
        Map<String, Integer> seen = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : out) {
            seen.merge(new String(r.value(), StandardCharsets.UTF_8), 1, Integer::sum);
        }
        List<String> wrong = new ArrayList<>();
        expected.forEach((word, n) -> {
            for (int i = 1; i <= n; i++) {
                Integer times = seen.remove(word + "\t" + i);
                if (times == null || times != 1) {
                    wrong.add(word + "\t" + i + " x" + (times == null ? 0 : times));
                }
            }
        });
        assertEquals(List.of(), wrong, context + ": values not seen exactly once");
        assertEquals(Map.of(), seen, context + ": unexpected values");
    }

    private static void produceLines(Random random, int lines, Map<String, Integer> counts) throws Exception {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < lines; i++) {
            StringBuilder line = new StringBuilder();
            for (int w = 0; w < 3; w++) {
                String word = "k" + random.nextInt(40);
                counts.merge(word, 1, Integer::sum);
                line.append(w == 0 ? "" : " ").append(word);
            }
            records.add(new ProducerRecord<>("cli-in", line.toString().getBytes(StandardCharsets.UTF_8)));
        }
        KAFKA.kafka().produce(records);
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
