package io.sluice.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * Guards a new connection on the accepting side: its first frame must be a handshake with the cluster token, within
 * the handshake timeout (which, with TLS, includes the TLS handshake: a failed one refuses the connection here too). Until then the frame limit is a handshake's size, so an unauthenticated peer can make the
 * process buffer about a kilobyte and no more. A connection without the token is closed with one log line and
 * nothing else it sent is read; an accepted one gets a {@link ServerConnection} in this handler's place, the full
 * frame limit, and an acknowledgement.
 *
 * <p>Threading: the connection's event loop.
 */
final class ServerHandshake extends ChannelInboundHandlerAdapter {
    private final ClusterToken token;
    private final FrameDecoder decoder;
    private final int maxFrameBytes;
    private final Duration timeout;
    private final NetworkEvents events;
    private final ServerConnection next;
    private ScheduledFuture<?> timer;
    private boolean decided;

    ServerHandshake(ClusterToken token, FrameDecoder decoder, NetworkConfig config, NetworkEvents events,
            ServerConnection next) {
        this.token = token;
        this.decoder = decoder;
        this.maxFrameBytes = config.maxFrameBytes();
        this.timeout = config.handshakeTimeout();
        this.events = events;
        this.next = next;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(() -> refuse(ctx, "it sent no handshake within " + timeout.toMillis() + " ms"),
                timeout.toMillis(), TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        try {
            if (decided) {
                return; // refused: the connection is closing
            }
            String refusal;
            try {
                refusal = Handshake.refusal(frame, token);
            } catch (ProtocolViolation e) {
                refusal = e.getMessage();
            }
            if (refusal != null) {
                refuse(ctx, refusal);
                return;
            }
            decided = true;
            timer.cancel(false);
            decoder.setMaxFrameBytes(maxFrameBytes);
            ctx.writeAndFlush(Frames.handshakeAck(ctx.alloc()));
            // frames behind the handshake in the same read go to the connection handler from here on
            ctx.pipeline().replace(this, "connection", next);
        } finally {
            frame.release();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent tls && !tls.isSuccess()) {
            refuse(ctx, "its TLS handshake failed: " + DataTls.describe(tls.cause()));
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ProtocolViolation v = Connections.violation(cause);
        SSLException tls = DataTls.failure(cause);
        refuse(ctx, v != null ? v.getMessage() : tls != null ? "TLS failed: " + DataTls.describe(tls) : cause.toString());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    private void refuse(ChannelHandlerContext ctx, String reason) {
        if (decided) {
            return;
        }
        decided = true;
        if (timer != null) {
            timer.cancel(false);
        }
        events.refused(ctx.channel().remoteAddress(), reason);
        ctx.close();
    }
}
