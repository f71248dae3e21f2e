package io.sluice.network;

/** Why a {@link FrameType#CLOSE} frame closes a channel; one byte on the wire. */
enum CloseReason {
    /** The receiver's consumer closed the channel (it finished or was cancelled): send nothing more. */
    RELEASED("its consumer released it"),
    /** The receiver started a newer attempt of the job and dropped this attempt's channels. */
    SUPERSEDED("a newer attempt of the job superseded it"),
    /** The channel was opened for an attempt older than the receiver's current attempt of the job. */
    STALE_ATTEMPT("it belongs to an attempt older than the receiver's current one"),
    /** The channel was opened a second time while its receiver was bound to an earlier opening. */
    DUPLICATE("it was already open"),
    /** The sender cancelled the channel (its producer failed or was cancelled). */
    CANCELLED("its producer cancelled it");

    private static final CloseReason[] VALUES = values();

    final String description;

    CloseReason(String description) {
        this.description = description;
    }

    static CloseReason of(byte code) {
        if (code < 0 || code >= VALUES.length) {
            throw new ProtocolViolation("a close frame with unknown reason " + code);
        }
        return VALUES[code];
    }

    byte code() {
        return (byte) ordinal();
    }
}
