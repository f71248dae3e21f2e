package io.sluice.api.types;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;

/** Test helpers: bytes through a serializer, and objects through Java serialization. */
final class RoundTrip {

    private RoundTrip() {}

    static <T> byte[] bytes(TypeSerializer<T> serializer, T value) {
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(buffer);
            serializer.serialize(value, out);
            out.flush();
            return buffer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Serializes then deserializes, and checks that exactly the written bytes were read. */
    static <T> T roundTrip(TypeSerializer<T> serializer, T value) {
        byte[] bytes = bytes(serializer, value);
        try {
            ByteArrayInputStream buffer = new ByteArrayInputStream(bytes);
            T result = serializer.deserialize(new DataInputStream(buffer));
            assertEquals(0, buffer.available(), "bytes left unread for " + serializer.typeName());
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T> T deserialize(TypeSerializer<T> serializer, byte[] bytes) throws IOException {
        return serializer.deserialize(new DataInputStream(new ByteArrayInputStream(bytes)));
    }

    /** Through {@link ObjectOutputStream} and back, as serializers travel inside the job graph. */
    @SuppressWarnings("unchecked")
    static <T extends Serializable> T javaRoundTrip(T object) {
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(buffer)) {
                out.writeObject(object);
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(buffer.toByteArray()))) {
                return (T) in.readObject();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }
}
