package io.sluice.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The accepting side of one authenticated connection: the channels its producers opened, bound to their
 * {@link RemoteInputChannel}s. It hands each data frame's element to its channel (looked up here, without a lock),
 * grants credits and tells senders when their channel closes. A frame that breaks the protocol closes the connection
 * with one log line; a data frame of a channel not open here is dropped and counted, and the connection goes on.
 *
 * <p>Threading: the connection's event loop, except the methods that say otherwise.
 */
final class ServerConnection extends ChannelInboundHandlerAdapter {
    private final InputChannels registry;
    private final NetworkEvents events;
    private final int maxPendingOpens;
    private final Map<RemoteChannelId, RemoteInputChannel> bound = new HashMap<>();
    private FrameWriter writer;
    private SocketAddress remote;
    private boolean active = true;

    ServerConnection(InputChannels registry, NetworkEvents events, int maxPendingOpens) {
        this.registry = registry;
        this.events = events;
        this.maxPendingOpens = maxPendingOpens;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        writer = new FrameWriter(ctx.channel());
        remote = ctx.channel().remoteAddress();
    }

    SocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        try {
            FrameType type = FrameType.of(frame.readByte());
            switch (type) {
                case DATA -> onData(frame);
                case OPEN -> {
                    RemoteChannelId id = Frames.readChannelId(frame);
                    Frames.requireEnd(frame, type);
                    onOpen(id);
                }
                case BACKLOG -> {
                    Frames.Count backlog = Frames.readCount(frame, type);
                    RemoteInputChannel channel = bound.get(backlog.channel());
                    if (channel != null) {
                        channel.onBacklog(backlog.count());
                    }
                }
                case CLOSE -> {
                    Frames.Closing closing = Frames.readClosing(frame);
                    RemoteInputChannel channel = bound.remove(closing.channel());
                    if (channel != null) {
                        channel.fail(new RemoteChannelException("the producer at " + remote + " closed "
                                + closing.channel() + ": " + closing.reason().description));
                    }
                }
                case HANDSHAKE, HANDSHAKE_ACK, CREDIT -> throw new ProtocolViolation("a " + type
                        + " frame, which a producer's side never sends here");
            }
        } catch (IndexOutOfBoundsException e) {
            throw new ProtocolViolation("a frame cut short: " + RemoteChannelException.reason(e));
        } finally {
            frame.release();
        }
    }

    private void onData(ByteBuf frame) {
        RemoteChannelId id = Frames.readChannelId(frame);
        long sequence = frame.readLong();
        byte flags = frame.readByte();
        if ((flags & ~Frames.DATA_FLAGS) != 0) {
            throw new ProtocolViolation("a data frame of " + id + " with unknown flags " + flags);
        }
        RemoteInputChannel channel = bound.get(id);
        if (channel != null) {
            channel.onData(sequence, flags, frame.readRetainedSlice(frame.readableBytes()));
            return;
        }
        int current = registry.staleAgainst(id);
        if (current >= 0) {
            events.staleFrame(id, current, remote);
        } else {
            events.unknownChannelFrame(id, remote);
        }
    }

    private void onOpen(RemoteChannelId id) {
        switch (registry.open(id, this, maxPendingOpens)) {
            case InputChannels.Opening.Bind b -> bind(b.channel());
            case InputChannels.Opening.Pending p -> { } // bound when its consumer registers it
            case InputChannels.Opening.Refuse r -> writer.write(Frames.close(writer.alloc(), id, r.reason()));
        }
    }

    private void bind(RemoteInputChannel channel) {
        if (!active) { // the opening's connection closed before the channel was registered: it cannot be fed
            channel.fail(new RemoteChannelException("the data connection from " + remote + " that opened "
                    + channel.id() + " was lost"));
            return;
        }
        CloseReason refusal = channel.bind(this);
        if (refusal != null) {
            writer.write(Frames.close(writer.alloc(), channel.id(), refusal));
            return;
        }
        bound.put(channel.id(), channel);
        writer.write(Frames.credit(writer.alloc(), channel.id(), channel.credits()));
    }

    /** Any thread: binds {@code channel}, whose opening waited for its registration. */
    void bindLater(RemoteInputChannel channel) {
        if (!writer.execute(() -> bind(channel))) {
            channel.fail(new RemoteChannelException("the network threads stopped before " + channel.id()
                    + " was bound to " + remote));
        }
    }

    /** Any thread: refuses a waiting opening of {@code id}. */
    void refuseLater(RemoteChannelId id, CloseReason reason) {
        writer.execute(() -> writer.write(Frames.close(writer.alloc(), id, reason)));
    }

    /** Any thread: sends the credits {@code channel}'s consumer gave back since the last time. */
    void announceCredits(RemoteInputChannel channel) {
        writer.execute(() -> {
            int credits = channel.unannouncedCredits();
            if (credits > 0 && bound.get(channel.id()) == channel) {
                writer.write(Frames.credit(writer.alloc(), channel.id(), credits));
            }
        });
    }

    /** Any thread: {@code channel} closed here; its sender is told why. */
    void unbind(RemoteInputChannel channel, CloseReason reason) {
        writer.execute(() -> {
            if (bound.remove(channel.id(), channel)) {
                writer.write(Frames.close(writer.alloc(), channel.id(), reason));
            }
        });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Connections.closeOnError(ctx, cause, events, remote);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        active = false;
        List<RemoteInputChannel> lost = new ArrayList<>(bound.values());
        bound.clear();
        for (RemoteInputChannel channel : lost) {
            channel.fail(new RemoteChannelException("the data connection from " + remote + " carrying " + channel.id()
                    + " was lost"));
        }
        registry.connectionClosed(this);
        ctx.fireChannelInactive();
    }
}
