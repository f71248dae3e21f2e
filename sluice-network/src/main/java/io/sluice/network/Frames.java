package io.sluice.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.runtime.plan.ChannelId;

/**
 * Writes frames and reads their common parts. A frame is {@code int length} (of what follows), {@code byte type}
 * ({@link FrameType}) and a body; a channel is addressed by {@link RemoteChannelId} in 32 bytes: job id (two longs),
 * attempt, edge, producer, consumer (four ints). A data frame's body is channel, {@code long} sequence number,
 * {@code byte} flags ({@link #MORE}, {@link #BACKLOG}) and at most one buffer of element bytes. Big-endian throughout. Stateless; any thread.
 */
final class Frames {
    static final int LENGTH_BYTES = 4;
    static final int CHANNEL_ID_BYTES = 32;
    /** What a data frame holds before its element's bytes: type, channel, sequence number, flags. */
    static final int DATA_HEADER_BYTES = 1 + CHANNEL_ID_BYTES + 8 + 1;
    /** Where a data frame's sequence number is, from the frame's first byte (its length). */
    static final int SEQUENCE_OFFSET = LENGTH_BYTES + 1 + CHANNEL_ID_BYTES;
    /** Where a data frame's flags are, from the frame's first byte. */
    static final int FLAGS_OFFSET = SEQUENCE_OFFSET + 8;
    /** Where a whole data frame's element bytes start. */
    static final int DATA_PAYLOAD_OFFSET = LENGTH_BYTES + DATA_HEADER_BYTES;
    /** Data frame flag: the element's bytes go on in the channel's next data frame (a record spanning buffers). */
    static final byte MORE = 1;
    /**
     * Data frame flag: when the sender sent it, more of the channel's frames waited behind it for credit (the receiver
     * keeps lending floating buffers while its sender is ahead; see {@link FloatingBuffers}).
     */
    static final byte BACKLOG = 2;
    /** The flags a data frame may carry. */
    static final byte DATA_FLAGS = MORE | BACKLOG;

    private Frames() {}

    /** A new frame of {@code type} with room for {@code bodyBytes}; close it with {@link #finish}. */
    static ByteBuf begin(ByteBufAllocator alloc, FrameType type, int bodyBytes) {
        return begin(alloc.buffer(LENGTH_BYTES + 1 + bodyBytes), type);
    }

    private static ByteBuf begin(ByteBuf frame, FrameType type) {
        frame.writeInt(0); // the length, set by finish
        frame.writeByte(type.code);
        return frame;
    }

    /** Writes the length of a frame made by {@link #begin}, now that its body is written. */
    static ByteBuf finish(ByteBuf frame) {
        frame.setInt(0, frame.writerIndex() - LENGTH_BYTES);
        return frame;
    }

    static ByteBuf handshakeAck(ByteBufAllocator alloc) {
        return finish(begin(alloc, FrameType.HANDSHAKE_ACK, 2).writeShort(Handshake.VERSION));
    }

    static ByteBuf open(ByteBufAllocator alloc, RemoteChannelId id) {
        return finish(writeChannelId(begin(alloc, FrameType.OPEN, CHANNEL_ID_BYTES), id));
    }

    static ByteBuf credit(ByteBufAllocator alloc, RemoteChannelId id, int credits) {
        return finish(writeChannelId(begin(alloc, FrameType.CREDIT, CHANNEL_ID_BYTES + 4), id).writeInt(credits));
    }

    static ByteBuf backlog(ByteBufAllocator alloc, RemoteChannelId id, int frames) {
        return finish(writeChannelId(begin(alloc, FrameType.BACKLOG, CHANNEL_ID_BYTES + 4), id).writeInt(frames));
    }

    static ByteBuf close(ByteBufAllocator alloc, RemoteChannelId id, CloseReason reason) {
        return finish(writeChannelId(begin(alloc, FrameType.CLOSE, CHANNEL_ID_BYTES + 1), id).writeByte(reason.code()));
    }

    /**
     * A data frame up to its element's bytes, which the caller writes before {@link #finish}. The sequence number is
     * left 0: the sender sets it ({@link #SEQUENCE_OFFSET}) when the frame leaves, in the order frames leave.
     */
    static ByteBuf beginData(ByteBufAllocator alloc, RemoteChannelId id, byte flags, int elementBytesHint) {
        return writeChannelId(begin(alloc, FrameType.DATA, CHANNEL_ID_BYTES + 8 + 1 + elementBytesHint), id)
                .writeLong(0).writeByte(flags);
    }

    /**
     * As {@link #beginData}, in a buffer that cannot grow beyond {@code maxElementBytes} of element: writing more
     * throws {@link IndexOutOfBoundsException}, so a huge record never makes the process allocate its size here.
     */
    static ByteBuf beginCappedData(ByteBufAllocator alloc, RemoteChannelId id, int elementBytesHint, int maxElementBytes) {
        int header = LENGTH_BYTES + DATA_HEADER_BYTES;
        return writeChannelId(begin(alloc.buffer(header + elementBytesHint, header + maxElementBytes), FrameType.DATA),
                id).writeLong(0).writeByte(0);
    }

    static ByteBuf writeChannelId(ByteBuf out, RemoteChannelId id) {
        ChannelId channel = id.channel();
        return out.writeLong(id.job().high()).writeLong(id.job().low()).writeInt(id.attempt())
                .writeInt(channel.edge()).writeInt(channel.producer()).writeInt(channel.consumer());
    }

    /** Reads a channel id; negative numbers in it break the protocol. */
    static RemoteChannelId readChannelId(ByteBuf in) {
        if (in.readableBytes() < CHANNEL_ID_BYTES) {
            throw new ProtocolViolation("a frame too short for its channel id (" + in.readableBytes() + " bytes)");
        }
        JobId job = new JobId(in.readLong(), in.readLong());
        int attempt = in.readInt();
        int edge = in.readInt();
        int producer = in.readInt();
        int consumer = in.readInt();
        if (attempt < 0 || edge < 0 || producer < 0 || consumer < 0) {
            throw new ProtocolViolation("a channel id with a negative number (attempt " + attempt + ", edge " + edge
                    + ", producer " + producer + ", consumer " + consumer + ")");
        }
        return new RemoteChannelId(job, attempt, new ChannelId(edge, producer, consumer));
    }

    /** A frame of a channel and a count: {@link FrameType#CREDIT} (credits) or {@link FrameType#BACKLOG} (frames). */
    record Count(RemoteChannelId channel, int count) {}

    /** A {@link FrameType#CLOSE} frame. */
    record Closing(RemoteChannelId channel, CloseReason reason) {}

    /** Reads the body of a {@link Count} frame of {@code type}, which must end there. */
    static Count readCount(ByteBuf in, FrameType type) {
        RemoteChannelId id = readChannelId(in);
        if (in.readableBytes() < 4) {
            throw new ProtocolViolation("a " + type + " frame too short (" + in.readableBytes() + " bytes left)");
        }
        Count count = new Count(id, in.readInt());
        requireEnd(in, type);
        return count;
    }

    /** Reads the body of a close frame, which must end there. */
    static Closing readClosing(ByteBuf in) {
        Closing closing = new Closing(readChannelId(in), CloseReason.of(in.readByte()));
        requireEnd(in, FrameType.CLOSE);
        return closing;
    }

    /** A frame must hold nothing after its body's last field. */
    static void requireEnd(ByteBuf in, FrameType type) {
        if (in.isReadable()) {
            throw new ProtocolViolation("a " + type + " frame with " + in.readableBytes() + " bytes after its end");
        }
    }
}
