package io.sluice.cluster.protocol;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A control message written as protobuf by hand (the schema is {@code cluster.proto} beside this package's sources):
 * no generated code, so the build needs no native protoc. Unknown fields are skipped when read, so either side may
 * add fields.
 */
public interface ProtoMessage {

    /** Writes this message's fields. */
    void writeTo(CodedOutputStream out) throws IOException;

    /** This message's bytes. */
    default byte[] toBytes() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            writeTo(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array never fails
        }
    }

    /** Reads one message of a kind from its bytes. */
    @FunctionalInterface
    interface Reader<T extends ProtoMessage> {
        T read(CodedInputStream in) throws IOException;

        default T read(InputStream stream) throws IOException {
            return read(CodedInputStream.newInstance(stream));
        }

        default T read(byte[] bytes) throws IOException {
            return read(new ByteArrayInputStream(bytes));
        }
    }
}
