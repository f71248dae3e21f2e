package io.sluice.network;

/**
 * The kinds of frame, by their one-byte code on the wire. A frame is {@code int length, byte type, body}; the length
 * counts the type and the body. Which side sends which is fixed: the connecting side (the producers' process) sends
 * {@link #HANDSHAKE}, {@link #OPEN}, {@link #DATA}, {@link #BACKLOG} and {@link #CLOSE}; the accepting side (the
 * consumers' process) sends {@link #HANDSHAKE_ACK}, {@link #CREDIT} and {@link #CLOSE}.
 */
enum FrameType {
    /** Magic, protocol version, cluster token. The first frame of every connection, and only there. */
    HANDSHAKE(1),
    /** The protocol version: the token was accepted. */
    HANDSHAKE_ACK(2),
    /** A producer opens a channel: the receiver grants its credits once the channel's consumer is deployed. */
    OPEN(3),
    /** Channel, credits (buffers): the sender may send that many more data frames on the channel. */
    CREDIT(4),
    /**
     * Channel, sequence number, flags, at most one buffer of element bytes: one serialized channel element, or a piece
     * of one that spans several frames ({@link Frames#MORE}). Sent only against credit: one credit per frame.
     */
    DATA(5),
    /** Channel, frames waiting at the sender for credit. */
    BACKLOG(6),
    /** Channel, reason: the channel is closed or cancelled by the side that sends this. */
    CLOSE(7);

    private static final FrameType[] BY_CODE = new FrameType[8];

    static {
        for (FrameType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    final byte code;

    FrameType(int code) {
        this.code = (byte) code;
    }

    /** The type of {@code code}; a code no type has breaks the protocol. */
    static FrameType of(byte code) {
        FrameType type = code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        if (type == null) {
            throw new ProtocolViolation("a frame of unknown type " + code);
        }
        return type;
    }
}
