package io.sluice.network;

/**
 * A remote channel cannot go on: its connection was lost, the other side closed or cancelled it, or an element
 * could not be written or read. Thrown to the task that uses the channel (from {@code offer} or {@code poll}); the
 * message names the channel (edge, producer, consumer), job, attempt and the remote address.
 */
public final class RemoteChannelException extends RuntimeException {
    public RemoteChannelException(String message) {
        super(message);
    }

    public RemoteChannelException(String message, Throwable cause) {
        super(message, cause);
    }

    /** What went wrong in {@code cause}, for a message: its own message, or its type when it has none. */
    static String reason(Throwable cause) {
        String message = cause.getMessage();
        return message != null ? message : cause.getClass().getSimpleName();
    }

    /** A fresh exception with this one's message and cause, thrown to another caller (a stack of its own). */
    RemoteChannelException rethrown() {
        return new RemoteChannelException(getMessage(), getCause());
    }
}
