package io.sluice.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.sluice.api.types.TypeSerializer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The connecting side of one connection to another process's data server: it carries every channel whose producer is
 * in this process and whose consumer is there, multiplexed. It shakes hands with the cluster token, opens channels,
 * takes the receiver's credits and close notices, and writes the channels' data frames. Losing the connection fails
 * every channel on it, naming the remote address; nothing is retried on another connection (a new attempt of the job
 * opens new channels).
 *
 * <p>Made by {@link ConnectionManager}, at most one per remote address. Threading: {@link #openOutput} and the queries
 * from any thread; the handler's methods on the connection's event loop.
 */
public final class ClientConnection {
    /** The largest frame a data server sends: a credit grant or a close notice. */
    static final int MAX_INBOUND_FRAME_BYTES = 256;

    private final InetSocketAddress remote;
    private final ClusterToken token;
    private final Duration handshakeTimeout;
    private final NetworkBufferPool pool;
    private final int maxRecordBytes;
    private final NetworkEvents events;
    private final boolean tls;
    private final ConcurrentHashMap<RemoteChannelId, RemoteOutputChannel> outputs = new ConcurrentHashMap<>();
    private final CompletableFuture<ClientConnection> handshake = new CompletableFuture<>();
    private volatile Channel channel;
    private volatile FrameWriter writer;

    ClientConnection(InetSocketAddress remote, ClusterToken token, NetworkConfig config, NetworkBufferPool pool,
            NetworkEvents events) {
        this.remote = remote;
        this.token = token;
        this.handshakeTimeout = config.handshakeTimeout();
        this.pool = pool;
        this.maxRecordBytes = config.maxRecordBytes();
        this.events = events;
        this.tls = config.tls().isPresent();
    }

    public InetSocketAddress remoteAddress() {
        return remote;
    }

    /** Whether the connection is up (handshake done, not closed). */
    public boolean isOpen() {
        Channel c = channel;
        return handshake.isDone() && !handshake.isCompletedExceptionally() && c != null && c.isActive();
    }

    /** How many channels are open on this connection (for tests and status). */
    public int openChannels() {
        return outputs.size();
    }

    /**
     * Opens channel {@code id} towards its consumer there, writing records with {@code serializer}. The channel can be
     * offered to at once; its first element leaves when the receiver has registered the consumer's end and granted
     * credits.
     *
     * @throws InsufficientNetworkBuffersException if the process's network buffer pool cannot give the channel its
     *                                             buffer
     * @throws IllegalStateException               if {@code id} is open on this connection already, or the connection
     *                                             is closed
     */
    public RemoteOutputChannel openOutput(RemoteChannelId id, TypeSerializer<?> serializer) {
        RemoteOutputChannel out = new RemoteOutputChannel(id, new ChannelCodec(serializer), this, pool, maxRecordBytes);
        if (outputs.putIfAbsent(id, out) != null) {
            out.fail(new RemoteChannelException(id + " was opened twice")); // gives its buffer back
            throw new IllegalStateException(id + " is open on the data connection to " + remote + " already");
        }
        if (!isOpen()) {
            outputs.remove(id, out);
            out.fail(new RemoteChannelException("the data connection to " + remote + " closed before " + id
                    + " opened"));
            throw new IllegalStateException("cannot open " + id + ": the data connection to " + remote + " is closed");
        }
        execute(out, () -> writer.write(Frames.open(alloc(), id)));
        return out;
    }

    CompletableFuture<ClientConnection> handshake() {
        return handshake;
    }

    ChannelInboundHandlerAdapter handler() {
        return new Handler();
    }

    ByteBufAllocator alloc() {
        return channel.alloc();
    }

    /** Runs {@code task} for {@code out} on the event loop; fails {@code out} if the network threads stopped. */
    void execute(RemoteOutputChannel out, Runnable task) {
        if (!writer.execute(task)) {
            out.fail(new RemoteChannelException("the network threads stopped; " + out.id() + " to " + remote
                    + " cannot send"));
        }
    }

    /** Event loop. */
    void write(ByteBuf frame) {
        writer.write(frame);
    }

    /** Event loop: {@code out} sent its end of input and leaves the connection. */
    void completed(RemoteOutputChannel out) {
        outputs.remove(out.id(), out);
    }

    /** Any thread: {@code out} was cancelled; the receiver is told. */
    void cancelled(RemoteOutputChannel out) {
        execute(out, () -> {
            if (outputs.remove(out.id(), out)) {
                writer.write(Frames.close(alloc(), out.id(), CloseReason.CANCELLED));
            }
        });
    }

    /** Reads what the data server sends: the handshake's answer, credits and close notices. */
    private final class Handler extends ChannelInboundHandlerAdapter {
        private boolean tlsDone; // event loop
        private boolean tlsFailed; // event loop: reported once

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof SslHandshakeCompletionEvent completion) {
                tlsDone = completion.isSuccess();
                if (!completion.isSuccess() && !tlsFailed) {
                    tlsFailed = true;
                    String reason = DataTls.describe(completion.cause());
                    events.violation(remote, "TLS failed: " + reason);
                    handshake.completeExceptionally(new RemoteChannelException("the TLS handshake with the data server at "
                            + remote + " failed: " + reason));
                }
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(Handshake.encode(ctx.alloc(), token));
            ctx.executor().schedule(() -> {
                if (handshake.completeExceptionally(new RemoteChannelException("the data server at " + remote
                        + " did not answer the handshake within " + handshakeTimeout.toMillis() + " ms"))) {
                    ctx.close();
                }
            }, handshakeTimeout.toMillis(), TimeUnit.MILLISECONDS);
            ctx.fireChannelActive();
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            writer = new FrameWriter(ctx.channel());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf frame = (ByteBuf) msg;
            try {
                FrameType type = FrameType.of(frame.readByte());
                if (!handshake.isDone() && type != FrameType.HANDSHAKE_ACK) {
                    throw new ProtocolViolation("a " + type + " frame before the handshake's answer");
                }
                switch (type) {
                    case HANDSHAKE_ACK -> {
                        short version = frame.readShort();
                        Frames.requireEnd(frame, type);
                        if (version != Handshake.VERSION) {
                            throw new ProtocolViolation("it answered with protocol version " + version + ", this process "
                                    + "speaks " + Handshake.VERSION);
                        }
                        handshake.complete(ClientConnection.this);
                    }
                    case CREDIT -> {
                        Frames.Count credit = Frames.readCount(frame, type);
                        RemoteOutputChannel out = outputs.get(credit.channel());
                        if (out != null) { // else the channel ended or was cancelled: the credits are moot
                            out.addCredits(credit.count());
                        }
                    }
                    case CLOSE -> {
                        Frames.Closing closing = Frames.readClosing(frame);
                        RemoteOutputChannel out = outputs.remove(closing.channel());
                        if (out != null) {
                            out.onReceiverClosed(closing.reason());
                        }
                    }
                    case HANDSHAKE, OPEN, DATA, BACKLOG -> throw new ProtocolViolation("a " + type
                            + " frame, which a data server never sends");
                }
            } catch (IndexOutOfBoundsException e) {
                throw new ProtocolViolation("a frame cut short: " + RemoteChannelException.reason(e));
            } finally {
                frame.release();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            SSLException failure = DataTls.failure(cause);
            if (failure != null && tlsFailed) {
                ctx.close(); // the failed handshake was reported
                return;
            }
            if (failure != null) { // with TLS 1.3 a server refuses this process's certificate after the handshake
                handshake.completeExceptionally(new RemoteChannelException("the data server at " + remote + " ended TLS: "
                        + DataTls.describe(failure) + " (does it trust this process's certificate?)"));
            }
            Connections.closeOnError(ctx, cause, events, remote);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            handshake.completeExceptionally(new RemoteChannelException(tls && !tlsDone
                    ? "the data server at " + remote + " closed the connection during the TLS handshake (does it use TLS"
                            + " with this cluster's CA? its log says)"
                    : "the data server at " + remote + " closed the connection before it accepted the handshake (a wrong"
                            + " cluster token, another protocol version, or this process's certificate refused? its log"
                            + " says which)"));
            List<RemoteOutputChannel> lost = new ArrayList<>(outputs.values());
            outputs.clear();
            for (RemoteOutputChannel out : lost) {
                out.fail(new RemoteChannelException("the data connection to " + remote + " carrying " + out.id()
                        + " was lost"));
            }
            ctx.fireChannelInactive();
        }
    }
}
