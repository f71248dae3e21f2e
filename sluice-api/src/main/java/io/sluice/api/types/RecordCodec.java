package io.sluice.api.types;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Writes and reads one record type's components, compiled for that type by {@link RecordCodecs}: the accessors and
 * the canonical constructor are called directly and primitive components go straight to {@link DataOutput} and
 * {@link DataInput}, so a record of primitives is serialized with no boxing, no array and no indirect call.
 *
 * <p>Public only because the generated classes live in the record's own package; not for users to implement.
 * Implementations are stateless: the serializers of the reference components are passed in, in declaration order
 * (the entries of primitive components are not used). Thread-safe.
 */
public interface RecordCodec {

    /** Writes {@code record}'s components in declaration order, as their serializers would. */
    void write(Object record, DataOutput out, TypeSerializer<Object>[] components) throws IOException;

    /** Reads the components {@link #write} wrote and returns the record built by its canonical constructor. */
    Object read(DataInput in, TypeSerializer<Object>[] components) throws IOException;
}
