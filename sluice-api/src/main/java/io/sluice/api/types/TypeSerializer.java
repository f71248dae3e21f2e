package io.sluice.api.types;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;

/**
 * Writes and reads values of one type in a compact binary form.
 *
 * <p>Every stream in a job has an explicit serializer, chosen when the job is built (see {@link Types}).
 * A type that no serializer handles is an error at build time, never a silent slow fallback. In-process
 * channels hand records over by reference; serializers are used wherever bytes are needed: state
 * snapshots, network channels, spilling.
 *
 * <p>Implementations are immutable and thread-safe: one instance may be used from several task threads.
 * They are {@link Serializable} because they travel inside the job graph.
 *
 * @param <T> the type of the values
 */
public interface TypeSerializer<T> extends Serializable {

    /** Writes {@code value}; {@code null} only where {@link #acceptsNull()} says so. */
    void serialize(T value, DataOutput out) throws IOException;

    /** Reads one value written by {@link #serialize}. */
    T deserialize(DataInput in) throws IOException;

    /** Whether {@code null} is a legal value for this serializer. */
    default boolean acceptsNull() {
        return false;
    }

    /** A readable name of the type, used in error messages, e.g. {@code List<String>}. */
    String typeName();
}
