package io.sluice.connectors.kafka.source;

import io.sluice.api.types.TypeSerializer;
import io.sluice.api.types.Types;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns a Kafka record's value into a record of the stream (Flink's {@code DeserializationSchema}). Implementations
 * are part of the job graph ({@link Serializable}); one instance per reader, called on its task thread only.
 *
 * <p>A thrown exception is a bad record: by default it fails the job naming topic, partition and offset. Return
 * {@code null} to skip a record on purpose.
 *
 * @param <T> the records of the stream
 */
public interface KafkaDeserializer<T> extends Serializable {

    /** The record for {@code value} (which is {@code null} for a tombstone), or {@code null} to skip it. */
    T deserialize(byte[] value) throws Exception;

    /** The serializer of the records this produces. */
    TypeSerializer<T> producedType();

    /** Strict UTF-8 strings: malformed bytes are a bad record. A tombstone (no value) is skipped. */
    static KafkaDeserializer<String> utf8() {
        return new KafkaDeserializer<>() {
            @Override
            public String deserialize(byte[] value) throws CharacterCodingException {
                if (value == null) {
                    return null;
                }
                // A new decoder per call would allocate; the JDK's String constructor replaces bad bytes silently,
                // so ASCII (the common case) is checked first and only other input goes through a strict decoder.
                for (byte b : value) {
                    if (b < 0) {
                        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(value))
                                .toString();
                    }
                }
                return new String(value, StandardCharsets.ISO_8859_1);
            }

            @Override
            public TypeSerializer<String> producedType() {
                return Types.STRING;
            }
        };
    }

    /** The value's bytes as they are; a tombstone is skipped. */
    static KafkaDeserializer<byte[]> bytes() {
        return new KafkaDeserializer<>() {
            @Override
            public byte[] deserialize(byte[] value) {
                return value;
            }

            @Override
            public TypeSerializer<byte[]> producedType() {
                return Types.BYTES;
            }
        };
    }
}
