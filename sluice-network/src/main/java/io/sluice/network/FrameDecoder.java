package io.sluice.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Cuts the byte stream of a connection into frames and passes each on as a {@link ByteBuf} of its type and body (a
 * retained slice of what was read: the next handler releases it). The length prefix is checked before a byte of the
 * frame is buffered: a frame longer than the limit, or shorter than its type byte, is a {@link ProtocolViolation}
 * and everything after it is discarded unread, so one bad frame cannot make the process buffer an attacker's
 * gigabytes. The limit starts at a handshake's size and is raised once the peer has shown the cluster token.
 *
 * <p>Threading: the connection's event loop only.
 */
final class FrameDecoder extends ByteToMessageDecoder {
    private int maxFrameBytes;
    private boolean broken;

    FrameDecoder(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    /** Sets the limit for the frames after the current one (the handshake handler calls this on success). */
    void setMaxFrameBytes(int bytes) {
        this.maxFrameBytes = bytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (broken) {
            in.skipBytes(in.readableBytes()); // the connection is closing: nothing after a bad frame is framed
            return;
        }
        if (in.readableBytes() < Frames.LENGTH_BYTES) {
            return;
        }
        int length = in.getInt(in.readerIndex());
        if (length < 1 || length > maxFrameBytes) {
            broken = true;
            in.skipBytes(in.readableBytes());
            throw new ProtocolViolation(length < 1 ? "a frame length of " + length + " (not a Sluice peer?)"
                    : "a frame of " + length + " bytes, over the limit of " + maxFrameBytes);
        }
        if (in.readableBytes() < Frames.LENGTH_BYTES + length) {
            return;
        }
        in.skipBytes(Frames.LENGTH_BYTES);
        out.add(in.readRetainedSlice(length));
    }
}
