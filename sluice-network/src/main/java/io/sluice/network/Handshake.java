package io.sluice.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The first frame of every connection: {@code int magic, short version, short tokenLength, token}. The accepting side
 * checks it before it reads anything else and answers {@link FrameType#HANDSHAKE_ACK}, or closes the connection.
 * Stateless; any thread.
 */
final class Handshake {
    /** "SLCE": tells a Sluice peer from anything else that happens to connect. */
    static final int MAGIC = 0x534C4345;
    /** Counted up whenever a frame's layout changes; peers of another version are refused. */
    static final short VERSION = 2; // 2: data frames carry flags (records spanning buffers)
    /** The longest handshake frame: the decoder's limit until the token is accepted. */
    static final int MAX_FRAME_BYTES = 1 + 4 + 2 + 2 + ClusterToken.MAX_BYTES;

    private Handshake() {}

    static ByteBuf encode(ByteBufAllocator alloc, ClusterToken token) {
        byte[] secret = token.bytes();
        ByteBuf frame = Frames.begin(alloc, FrameType.HANDSHAKE, 8 + secret.length);
        frame.writeInt(MAGIC).writeShort(VERSION).writeShort(secret.length).writeBytes(secret);
        return Frames.finish(frame);
    }

    /**
     * Checks a handshake frame (type and body) against {@code token}: {@code null} if it is accepted, otherwise why it
     * is refused, for the log. The token is compared in constant time, and before the version: a peer without it
     * learns nothing, not even which version this side speaks.
     */
    static String refusal(ByteBuf frame, ClusterToken token) {
        FrameType type = FrameType.of(frame.readByte());
        if (type != FrameType.HANDSHAKE) {
            return "its first frame was " + type + ", not a handshake";
        }
        if (frame.readableBytes() < 8 || frame.readInt() != MAGIC) {
            return "its handshake is not a Sluice handshake";
        }
        short version = frame.readShort();
        int tokenLength = frame.readUnsignedShort();
        if (tokenLength != frame.readableBytes()) {
            return "its handshake holds " + frame.readableBytes() + " token bytes but announced " + tokenLength;
        }
        byte[] presented = new byte[tokenLength];
        frame.readBytes(presented);
        if (!token.matches(presented)) {
            return tokenLength == 0 ? "it presented no cluster token" : "it presented a wrong cluster token";
        }
        if (version != VERSION) {
            return "it speaks protocol version " + version + ", this process " + VERSION;
        }
        return null;
    }
}
