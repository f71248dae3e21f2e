package io.sluice.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.connectors.kafka.TestKafka;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The input of the kafka-counts tests and the checks of their output: every word's values 1..N exactly once (or at
 * least once), and the transactions of a transactional id prefix as the broker's coordinator knows them.
 */
final class KafkaCountsOracle {
    private KafkaCountsOracle() {}

    /** Writes {@code lines} lines of 1 to 5 words to {@code topic}'s 3 partitions, counting the words into {@code counts}. */
    static void writeInput(TestKafka kafka, String topic, Random random, int lines, Map<String, Integer> counts)
            throws Exception {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < lines; i++) {
            StringBuilder line = new StringBuilder();
            int words = 1 + random.nextInt(5);
            for (int w = 0; w < words; w++) {
                String word = "w" + random.nextInt(60);
                counts.merge(word, 1, Integer::sum);
                line.append(w == 0 ? "" : " ").append(word);
            }
            records.add(new ProducerRecord<>(topic, random.nextInt(3), null,
                    line.toString().getBytes(StandardCharsets.UTF_8)));
        }
        kafka.produce(records);
    }

    static long total(Map<String, Integer> counts) {
        return counts.values().stream().mapToLong(Integer::longValue).sum();
    }

    /** Every word's values 1..N; exactly once, or at least once when {@code exact} is false. */
    static void check(String context, Map<String, Integer> expected, List<ConsumerRecord<byte[], byte[]>> output,
            boolean exact) {
        Map<String, Integer> seen = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : output) {
            String value = new String(r.value(), StandardCharsets.UTF_8);
            String word = value.substring(0, value.indexOf('\t'));
            assertEquals(word, new String(r.key(), StandardCharsets.UTF_8), context + ": key of " + value);
            seen.merge(value, 1, Integer::sum);
        }
        int duplicates = 0;
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            for (int n = 1; n <= e.getValue(); n++) {
                Integer times = seen.remove(e.getKey() + "\t" + n);
                if (times == null) {
                    missing.add(e.getKey() + "\t" + n);
                } else {
                    duplicates += times - 1;
                }
            }
        }
        assertTrue(missing.isEmpty(), context + ": missing " + missing.size() + ", e.g. " + missing.stream().limit(5).toList());
        assertTrue(seen.isEmpty(), context + ": unexpected values " + seen.keySet().stream().limit(5).toList());
        if (exact) {
            assertEquals(0, duplicates, context + ": duplicates");
        } else {
            System.out.println(context + ": " + duplicates + " duplicate(s), allowed at least once");
        }
    }

    /**
     * The transactions of ids {@code prefix-*} the broker knows (listTransactions, any state), described
     * (describeTransactions): id to description.
     */
    static Map<String, TransactionDescription> transactions(TestKafka kafka, String prefix) throws Exception {
        Collection<String> ids = kafka.admin.listTransactions().all().get(30, TimeUnit.SECONDS).stream()
                .map(t -> t.transactionalId()).filter(id -> id.startsWith(prefix + "-")).toList();
        if (ids.isEmpty()) {
            return Map.of();
        }
        return new java.util.TreeMap<>(kafka.admin.describeTransactions(ids).all().get(30, TimeUnit.SECONDS));
    }

    /** Of {@code transactions}, those still open (ongoing or preparing to end), as "id: state on partitions". */
    static List<String> open(Map<String, TransactionDescription> transactions) {
        Set<TransactionState> open = Set.of(TransactionState.ONGOING, TransactionState.PREPARE_COMMIT,
                TransactionState.PREPARE_ABORT);
        List<String> out = new ArrayList<>();
        transactions.forEach((id, d) -> {
            if (open.contains(d.state())) {
                out.add(id + ": " + d.state() + " on " + d.topicPartitions());
            }
        });
        return out;
    }
}
