package io.sluice.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The test broker works: a record produced through it is read back; it survives a crash and restart. */
class KafkaBrokerSmokeTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();


    @Test
    void producesAndConsumesThroughARealBrokerAcrossARestart() throws Exception {
        KAFKA.kafka().createTopic("smoke", 2);
        KAFKA.kafka().produce(List.of(new ProducerRecord<>("smoke", 0, "k".getBytes(StandardCharsets.UTF_8),
                "hello".getBytes(StandardCharsets.UTF_8))));
        KAFKA.kafka().broker.kill();
        KAFKA.kafka().broker.restart();
        KAFKA.kafka().produce(List.of(new ProducerRecord<>("smoke", 1, null, "again".getBytes(StandardCharsets.UTF_8))));
        List<ConsumerRecord<byte[], byte[]>> read = KAFKA.kafka().readAll("smoke", "read_committed", Duration.ofSeconds(60));
        assertEquals(List.of("hello", "again"), read.stream()
                .sorted(java.util.Comparator.comparingInt(ConsumerRecord::partition))
                .map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList());
    }
}
