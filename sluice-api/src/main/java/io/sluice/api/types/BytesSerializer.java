package io.sluice.api.types;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** {@code byte[]} as a varint length followed by the bytes. Does not accept {@code null}. */
enum BytesSerializer implements TypeSerializer<byte[]> {
    INSTANCE;

    @Override
    public void serialize(byte[] value, DataOutput out) throws IOException {
        VarInts.write(out, value.length);
        out.write(value);
    }

    @Override
    public byte[] deserialize(DataInput in) throws IOException {
        byte[] value = new byte[VarInts.readLength(in)];
        in.readFully(value);
        return value;
    }

    @Override
    public byte[] copy(byte[] value) {
        return value.clone();
    }

    @Override
    public String typeName() {
        return "byte[]";
    }

    @Override
    public SerializerIdentity identity() {
        return SerializerIdentity.of("bytes");
    }

    @Override
    public String toString() {
        return typeName();
    }
}
