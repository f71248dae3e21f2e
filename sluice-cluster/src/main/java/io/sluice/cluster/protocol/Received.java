package io.sluice.cluster.protocol;

import java.util.Objects;

/**
 * A request as the coordinator received it ({@link ControlProtocol#served}): a message, or the reason its bytes are
 * not one (a client that speaks another protocol, a corrupted or hostile peer).
 *
 * @param message   the message, {@code null} if malformed
 * @param malformed what is wrong with the bytes, {@code null} if they are a message
 */
public record Received<T>(T message, String malformed) {

    public static <T> Received<T> of(T message) {
        return new Received<>(Objects.requireNonNull(message, "message"), null);
    }

    public static <T> Received<T> malformed(String reason) {
        return new Received<>(null, Objects.requireNonNull(reason, "reason"));
    }

    /** The message; fails with the reason when the bytes were malformed. */
    public T get() throws MalformedMessageException {
        if (malformed != null) {
            throw new MalformedMessageException(malformed);
        }
        return message;
    }

    /** Bytes that are not a control message of the kind the call expects. */
    public static final class MalformedMessageException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedMessageException(String reason) {
            super("not a well-formed control message: " + reason);
        }
    }
}
