package io.sluice.testing;

import io.sluice.api.types.TypeSerializer;
import java.util.Objects;

/**
 * A record of a verified job: the user's {@code value} and the {@link Tag} of the source record it comes from. A
 * verified source ({@link ExactlyOnceVerifier#fromSource}) emits each record tagged; the job carries the tag to its
 * verified sink, changing only the value ({@link #withValue}, or the adapters in {@link Tagging}). Immutable.
 *
 * <p>Streams of tagged records need an explicit type, since Java erases the value's: {@link #type(TypeSerializer)}.
 *
 * @param split  the qualified split id of the source record ({@link Tag#split()})
 * @param offset the offset of the source record in its split
 * @param value  the record itself
 * @param <T>    the type of the value
 */
public record Tagged<T>(String split, long offset, T value) {

    public Tagged {
        Tag.check(split, offset);
    }

    /** The record with the same tag and another value. */
    public <R> Tagged<R> withValue(R newValue) {
        return new Tagged<>(split, offset, newValue);
    }

    /** The source coordinates. */
    public Tag tag() {
        return new Tag(split, offset);
    }

    /** The serializer of tagged records whose values {@code valueType} serializes. */
    public static <T> TypeSerializer<Tagged<T>> type(TypeSerializer<T> valueType) {
        return new TaggedSerializer<>(Objects.requireNonNull(valueType, "valueType"));
    }

    /** The value part of a line written as {@link #toString()}: the text before the line's last tab. */
    public static String valueText(String line) {
        return line.substring(0, Tag.lastTab(line));
    }

    /**
     * The value, a tab and the tag ({@code split#offset}): a line format that {@link Tag#fromLine} reads back, e.g.
     * from the files a {@code TransactionalFileSink} of tagged records committed.
     */
    @Override
    public String toString() {
        return value + "\t" + split + "#" + offset;
    }
}
