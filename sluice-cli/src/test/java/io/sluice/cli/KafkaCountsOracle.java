package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.connectors.kafka.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Input lines for kafka-counts and the check of its output: every word's values 1..N exactly once. */
final class KafkaCountsOracle {
    private KafkaCountsOracle() {}

    /** Writes {@code lines} lines of 3 words to {@code topic}, counting the words into {@code counts}. */
    static void produceLines(TestKafka kafka, String topic, Random random, int lines, Map<String, Integer> counts)
            throws Exception {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < lines; i++) {
            StringBuilder line = new StringBuilder();
            for (int w = 0; w < 3; w++) {
                String word = "k" + random.nextInt(40);
                counts.merge(word, 1, Integer::sum);
                line.append(w == 0 ? "" : " ").append(word);
            }
            records.add(new ProducerRecord<>(topic, line.toString().getBytes(StandardCharsets.UTF_8)));
        }
        kafka.produce(records);
    }

    /** A read_committed consumer reaches the log end of {@code topic} and sees each word's 1..N exactly once. */
    static void checkExactlyOnce(TestKafka kafka, String topic, Map<String, Integer> expected, String context) {
        List<ConsumerRecord<byte[], byte[]>> out = kafka.readAll(topic, "read_committed", Duration.ofSeconds(30));
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

    static long total(Map<String, Integer> expected) {
        return expected.values().stream().mapToLong(Integer::longValue).sum();
    }
}
