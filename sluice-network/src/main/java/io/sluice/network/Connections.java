package io.sluice.network;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import java.net.SocketAddress;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What both sides of a connection do with an error on it: report it once and close. Event loop only. */
final class Connections {
    private static final Logger LOG = LoggerFactory.getLogger(Connections.class);

    private Connections() {}

    /** The protocol violation behind {@code cause}, or {@code null} if it is something else. */
    static ProtocolViolation violation(Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        return c instanceof ProtocolViolation v ? v : null;
    }

    /**
     * Closes the connection of {@code ctx} after {@code cause}: a protocol violation or a TLS failure is counted and
     * logged as one line, a connection reset is ordinary (its channels fail on their own, naming it), anything else is
     * a bug here and is logged with its stack.
     */
    static void closeOnError(ChannelHandlerContext ctx, Throwable cause, NetworkEvents events, SocketAddress remote) {
        if (!ctx.channel().isOpen()) {
            return; // closing already: what follows a violation is not reported again
        }
        ProtocolViolation v = violation(cause);
        SSLException tls = DataTls.failure(cause);
        if (v != null) {
            events.violation(remote, v.getMessage());
        } else if (tls != null) {
            events.violation(remote, "TLS failed: " + DataTls.describe(tls));
        } else if (cause instanceof IOException) {
            LOG.debug("the data connection with {} failed: {}", remote, cause.toString());
        } else {
            LOG.warn("the data connection with {} failed, closing it", remote, cause);
        }
        ctx.close();
    }
}
