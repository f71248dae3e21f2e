package io.sluice.api.types;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * Writes and reads values of one type in a compact binary form.
 *
 * <p>Every stream in a job has an explicit serializer, chosen when the job is built (see {@link Types}).
 * A type that no serializer handles is an error at build time, never a silent slow fallback. In-process
 * channels hand records over by reference; serializers are used wherever bytes are needed: state
 * snapshots, network channels, spilling.
 *
 * <p>Implementations are immutable and thread-safe: one instance may be used from several task threads.
 * They are {@link Serializable} because they travel inside the job graph; a serializer read back by Java
 * serialization reads the bytes the original wrote.
 *
 * <h2>Contract</h2>
 * Every implementation keeps these rules ({@code io.sluice.testing.TypeSerializerContractTest} in
 * {@code sluice-test-support} checks them for any serializer):
 * <ul>
 *   <li><b>Round trip.</b> {@link #deserialize} returns a value equal to the one {@link #serialize} wrote.</li>
 *   <li><b>Self-delimiting.</b> {@code deserialize} reads exactly the bytes {@code serialize} wrote for the value,
 *       no more and no fewer, so values written back to back in one stream read back one by one; the length of a
 *       value's bytes does not depend on what was written before it.</li>
 *   <li><b>Deterministic.</b> Equal values serialize to equal bytes, and a value read back serializes to the bytes
 *       it was read from. "Equal" as far as the bytes can tell: floating-point values by their exact bits (NaN
 *       payloads and {@code -0.0} included), maps with the same iteration order, which the bytes keep. Keyed state
 *       relies on it: RocksDB finds keys, namespaces and map-state keys by their bytes.</li>
 *   <li><b>Null.</b> Where {@link #acceptsNull()} is {@code true}, {@code null} round-trips and copies as
 *       {@code null}. Where it is {@code false}, {@code serialize(null)} throws (a {@link NullPointerException} for
 *       the built-in serializers) instead of writing bytes that would read back as some other value.</li>
 *   <li><b>Copy.</b> {@link #copy} returns a value equal to its argument; for a type that is not
 *       {@linkplain #isImmutableType immutable}, the copy shares no mutable object (array, collection, mutable
 *       object) with the original.</li>
 *   <li><b>Immutability.</b> {@link #isImmutableType} is {@code true} only if no value of the type can change after
 *       it was made; {@code copy} of such a value returns the value itself.</li>
 * </ul>
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

    /**
     * A deep copy of {@code value}: changing either one in place afterwards never changes the other. Values of an
     * {@linkplain #isImmutableType immutable type} are returned as they are. The heap state backend copies, through
     * this, a stored value that a snapshot still holds before it hands the value to code that may change it in place.
     *
     * <p>The default writes the value and reads it back: correct for any serializer whose {@code deserialize}
     * returns a value equal to the one serialized, but slow; the built-in serializers override it. Thread-safe,
     * like the serializer.
     *
     * @throws UncheckedIOException if the round trip of the default fails
     */
    default T copy(T value) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
            serialize(value, new DataOutputStream(bytes));
            return deserialize(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy a value of type " + typeName(), e);
        }
    }

    /**
     * Whether no value of this type can change after it was made (strings, boxes, enums, records of such), so that
     * {@link #copy} returns its argument and a caller may skip copying altogether. {@code false} by default: claim
     * it only if it holds for every value.
     */
    default boolean isImmutableType() {
        return false;
    }

    /**
     * The number of bytes {@link #serialize} writes for every value, if that is the same for all values;
     * {@link #VARIABLE_LENGTH} otherwise, which is the default. The engine sizes the batches of an in-process channel
     * with it (records there are handed over, never serialized, yet batches are bounded in serialized bytes, the unit
     * of network buffers): a serializer that declares its length spares the engine from serializing a sample now and
     * then to estimate it. Claim it only if it holds for every value, {@code null} included where accepted; a wrong
     * claim makes batches larger or smaller than a buffer, never results wrong. Called when a channel is set up,
     * never per record.
     *
     * <p>The built-in serializers of the eight primitives and their boxes declare theirs (a {@code long} 8, a
     * {@code boolean} 1, ...), and so does a record whose components all declare one (records of primitives: the sum);
     * a nullable, string, collection or enum serializer does not.
     */
    default int fixedLength() {
        return VARIABLE_LENGTH;
    }

    /** {@link #fixedLength()} of a serializer whose values take different numbers of bytes. */
    int VARIABLE_LENGTH = -1;

    /**
     * The identity of this serializer's binary format ({@link SerializerIdentity}, which states the rule): keyed state
     * records it in every snapshot, and a restore whose declared serializer has another identity fails naming both,
     * rather than misreading the bytes. Called when a state is registered or snapshotted, never per record.
     *
     * <p>The default is this serializer's class name, version 1. Override it when the class may be renamed or moved
     * while its format stays, and count the version up when the format changes under the same name. The built-in
     * serializers return ids of their own ({@code long}, {@code list<string>}, ...).
     */
    default SerializerIdentity identity() {
        return SerializerIdentity.of(getClass().getName());
    }
}
