package io.sluice.api.types;

/**
 * Stores values of one immutable type as a fixed number of {@code long}s in a primitive array, and builds equal values
 * back from them: a boxed primitive in one {@code long}, a record whose components are all primitives in one
 * {@code long} per component (a {@code double} as its raw bits). Heap state keeps such values inside its tables this
 * way, so that a lookup finds the value in the lines it already loaded, and the garbage collector has no value objects
 * to trace or copy.
 *
 * <p>A value built by {@link #load} equals the one {@link #store stored} as a serializer's round trip would: a record
 * is built by its canonical constructor from the stored components, as {@link TypeSerializer#deserialize} does.
 *
 * <p>Public only because the codecs of records are compiled into the record's own package; not for users to
 * implement. Stateless and thread-safe.
 */
public interface FlatCodec {

    /** The {@code long}s one value takes. */
    int width();

    /** Writes {@code value} (not {@code null}) into {@code to[at]} to {@code to[at + width() - 1]}. */
    void store(Object value, long[] to, int at);

    /** A new value equal to the one stored at {@code from[at]}. */
    Object load(long[] from, int at);

    /**
     * The flat codec of the values {@code serializer} serializes, or {@code null} if they cannot be kept flat: not a
     * boxed primitive or a record of primitive components, or a record whose package is not open to Sluice.
     */
    static FlatCodec of(TypeSerializer<?> serializer) {
        return FlatCodecs.of(serializer);
    }
}
