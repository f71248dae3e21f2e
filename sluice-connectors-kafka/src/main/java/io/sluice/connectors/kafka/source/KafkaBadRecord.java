package io.sluice.connectors.kafka.source;

import io.sluice.api.functions.OutputTag;
import io.sluice.api.types.TypeSerializer;
import io.sluice.api.types.Types;

/**
 * A Kafka record the source's deserializer could not read, emitted to the side output a job opted in to with
 * {@link KafkaSource.Builder#badRecordsToSideOutput} instead of failing the job. Read them with
 * {@code stream.getSideOutput(tag)} on the source's stream. Immutable (the byte arrays are the consumer's, not copied:
 * do not change them).
 *
 * @param topic     the record's topic
 * @param partition its partition
 * @param offset    its offset in that partition
 * @param timestamp its Kafka timestamp (milliseconds)
 * @param key       its key bytes, {@code null} if it has none
 * @param value     its value bytes, {@code null} for a tombstone
 * @param error     what the deserializer threw ({@code Throwable.toString()})
 */
public record KafkaBadRecord(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value,
        String error) {

    /** The serializer of bad records (key and value may be {@code null}). */
    public static final TypeSerializer<KafkaBadRecord> TYPE = Types.of(KafkaBadRecord.class);

    /** A side output tag for bad records, named {@code id} (unique within the job). */
    public static OutputTag<KafkaBadRecord> outputTag(String id) {
        return new OutputTag<>(id, TYPE);
    }

    /** Where the record was, as error messages name it. */
    public String coordinates() {
        return "topic " + topic + ", partition " + partition + ", offset " + offset;
    }

    @Override
    public String toString() {
        return "KafkaBadRecord[" + coordinates() + ", timestamp " + timestamp + ", key "
                + (key == null ? "none" : key.length + " bytes") + ", value "
                + (value == null ? "none" : value.length + " bytes") + ", error " + error + "]";
    }
}
