package io.sluice.connectors.kafka.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sluice.connectors.kafka.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reflective resume against a real broker (transaction version 2, Kafka 4.4's default): a transaction left open
 * by a crashed producer is committed by a new one from its id, producer id and epoch; committing it again is harmless;
 * once a later producer of the id fenced it, resuming it fails (recovery then treats it as finished).
 */
class TransactionalProducerTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @BeforeAll
    static void topics() throws Exception {
        KAFKA.kafka().createTopic("resume", 1);
    }

    private static Properties props() {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", KAFKA.kafka().bootstrap());
        p.setProperty("transaction.timeout.ms", "120000");
        return p;
    }

    private static List<String> committed() {
        return KAFKA.kafka().readAll("resume", "read_committed", Duration.ofSeconds(30)).stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void aCrashedProducersTransactionIsCommittedByResumingIt() throws Exception {
        long producerId;
        short epoch;
        KafkaProducer<byte[], byte[]> crashed = TransactionalProducer.create(props(), "resume-test-0-0");
        crashed.initTransactions();
        crashed.beginTransaction();
        for (String v : List.of("a", "b", "c")) {
            crashed.send(new ProducerRecord<>("resume", v.getBytes(StandardCharsets.UTF_8)));
        }
        crashed.flush();
        producerId = TransactionalProducer.producerId(crashed);
        epoch = TransactionalProducer.epoch(crashed);
        crashed.close(Duration.ZERO); // a crash: the transaction stays open on the broker

        assertThrows(AssertionError.class, () -> KAFKA.kafka().readAll("resume", "read_committed", Duration.ofSeconds(2)),
                "the open transaction pins the last stable offset");

        try (KafkaProducer<byte[], byte[]> resumed = TransactionalProducer.create(props(), "resume-test-0-0")) {
            TransactionalProducer.resume(resumed, producerId, epoch);
            resumed.commitTransaction();
        }
        assertEquals(List.of("a", "b", "c"), committed());

        // Again (a second recovery of the same checkpoint): nothing changes. With transaction version 2 the broker
        // bumped the epoch at the commit, and it answers the repeated commit with success or with "fenced" depending
        // on timing; recovery reads "fenced" as "finished already" (ExactlyOnceWriter.commitResumed).
        try (KafkaProducer<byte[], byte[]> again = TransactionalProducer.create(props(), "resume-test-0-0")) {
            TransactionalProducer.resume(again, producerId, epoch);
            again.commitTransaction();
        } catch (org.apache.kafka.common.errors.ProducerFencedException finishedAlready) {
            // the epoch moved on: the transaction was finished
        }
        assertEquals(List.of("a", "b", "c"), committed());

        // A later producer of the id (the restored run's pool) fences the old epoch.
        try (KafkaProducer<byte[], byte[]> later = TransactionalProducer.create(props(), "resume-test-0-0")) {
            later.initTransactions();
        }
        try (KafkaProducer<byte[], byte[]> stale = TransactionalProducer.create(props(), "resume-test-0-0")) {
            TransactionalProducer.resume(stale, producerId, epoch);
            assertThrows(KafkaException.class, stale::commitTransaction);
        }
        assertEquals(List.of("a", "b", "c"), committed());
    }
}
