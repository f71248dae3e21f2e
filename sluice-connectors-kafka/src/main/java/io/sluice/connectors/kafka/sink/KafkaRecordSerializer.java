package io.sluice.connectors.kafka.sink;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Turns a record of the stream into a Kafka record: topic, key, value, headers (and optionally partition and
 * timestamp). Part of the job graph; one instance per sink subtask, called on its task thread only.
 *
 * @param <T> the records of the stream
 */
@FunctionalInterface
public interface KafkaRecordSerializer<T> extends Serializable {

    ProducerRecord<byte[], byte[]> serialize(T element) throws Exception;

    /** A function of the serializers below; part of the job graph. */
    @FunctionalInterface
    interface Part<T> extends Serializable {
        byte[] apply(T element);
    }

    /** Into {@code topic}, with the key and value the functions give (a {@code null} key lets Kafka partition). */
    static <T> KafkaRecordSerializer<T> toTopic(String topic, Part<T> key, Part<T> value) {
        return element -> new ProducerRecord<>(topic, key.apply(element), value.apply(element));
    }

    /** The element's {@code toString()} in UTF-8 as the value, no key, into {@code topic}. */
    static <T> KafkaRecordSerializer<T> utf8Values(String topic) {
        return toTopic(topic, e -> null, e -> String.valueOf(e).getBytes(StandardCharsets.UTF_8));
    }
}
