package io.sluice.api.types;

/**
 * Thrown when the job is built if a stream's type cannot be serialized or cannot be determined.
 * The message names the type and the fix.
 */
public final class UnsupportedTypeException extends IllegalArgumentException {
    public UnsupportedTypeException(String message) {
        super(message);
    }
}
