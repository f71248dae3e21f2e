package io.sluice.connectors.kafka.source;

import io.sluice.api.types.TypeSerializer;
import java.io.Serializable;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns a whole Kafka record (key, value, headers, topic, partition, offset, timestamp) into a record of the stream.
 * Part of the job graph; one instance per reader, called on its task thread only. A thrown exception is a bad record
 * (see {@link KafkaDeserializer}); {@code null} skips the record.
 *
 * @param <T> the records of the stream
 */
public interface KafkaRecordDeserializer<T> extends Serializable {

    T deserialize(ConsumerRecord<byte[], byte[]> record) throws Exception;

    TypeSerializer<T> producedType();

    /** Deserializes the value only. */
    static <T> KafkaRecordDeserializer<T> valueOnly(KafkaDeserializer<T> values) {
        return new KafkaRecordDeserializer<>() {
            @Override
            public T deserialize(ConsumerRecord<byte[], byte[]> record) throws Exception {
                return values.deserialize(record.value());
            }

            @Override
            public TypeSerializer<T> producedType() {
                return values.producedType();
            }
        };
    }
}
