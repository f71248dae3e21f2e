package io.sluice.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The bytes of one serialized element larger than a network buffer (a record batch holding one big record), on the
 * heap, waiting at the sender to be cut into data frames of one buffer each as credits arrive. Cut lazily so that the
 * sender never holds more than one buffer of such an element in network (direct) memory at once; every frame but the
 * last carries {@link Frames#MORE}.
 *
 * <p>Threading: made by the producer's thread, then used by the connection's event loop only.
 */
final class SpanningElement {
    private final ByteBuf bytes;

    /** Takes over {@code bytes} (a heap buffer of the element, from its reader index on). */
    SpanningElement(ByteBuf bytes) {
        this.bytes = bytes;
    }

    /** The next frame of the element: at most {@code bufferBytes} of it. */
    ByteBuf nextFrame(ByteBufAllocator alloc, RemoteChannelId id, int bufferBytes) {
        int n = Math.min(bufferBytes, bytes.readableBytes());
        byte flags = bytes.readableBytes() > n ? Frames.MORE : 0;
        ByteBuf frame = Frames.beginData(alloc, id, flags, n);
        frame.writeBytes(bytes, n);
        return Frames.finish(frame);
    }

    /** Whether every byte left in a frame. */
    boolean sent() {
        return !bytes.isReadable();
    }

    void release() {
        bytes.release();
    }
}
