package io.sluice.api.types;

/**
 * A serializer of values that never change after they were made (strings, boxes, enum constants, windows): a
 * {@linkplain #copy copy} is the value itself. Implement this rather than {@link TypeSerializer} for a type of your
 * own only if no value of it can ever change. Implementations are immutable and thread-safe.
 *
 * @param <T> the type of the values
 */
public interface ImmutableTypeSerializer<T> extends TypeSerializer<T> {

    @Override
    default T copy(T value) {
        return value;
    }

    @Override
    default boolean isImmutableType() {
        return true;
    }
}
