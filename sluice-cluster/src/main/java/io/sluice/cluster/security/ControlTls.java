package io.sluice.cluster.security;

import io.grpc.ServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.GrpcHttp2ConnectionHandler;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.InternalNettyServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiator;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiators;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslHandler;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.grpc.netty.shaded.io.netty.util.AsciiString;
import io.sluice.network.tls.TlsDir;
import io.sluice.network.tls.TlsFailures;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mutual TLS on the control plane (gRPC): the coordinator's server requires a certificate of the cluster CA from every
 * caller, workers and clients present theirs and check that the coordinator's names the host they dialed (gRPC's TLS
 * negotiation turns on hostname verification). TLS 1.3 with the JDK's provider, as on the data plane. The cluster
 * token is still required on every call, on top of TLS ({@link TokenAuth}).
 *
 * <p>A connection whose TLS handshake fails (plain TCP, no certificate, a certificate of another CA) is refused before
 * any HTTP/2 frame is read, with one log line naming the peer and counted ({@link #serverCredentials}). gRPC has no
 * public hook for that line: it uses gRPC's {@code Internal*} negotiator API, pinned by the build's gRPC version and
 * covered by the coordinator's TLS test.
 */
public final class ControlTls {
    private static final Logger LOG = LoggerFactory.getLogger(ControlTls.class);
    private static final String[] PROTOCOLS = {"TLSv1.3"};

    private ControlTls() {}

    /** What a client or worker presents and trusts. */
    public static SslContext client(TlsDir tls) throws IOException {
        try {
            return GrpcSslContexts.configure(SslContextBuilder.forClient(), SslProvider.JDK)
                    .protocols(PROTOCOLS)
                    .keyManager(tls.clientKeyManager())
                    .trustManager(tls.ca())
                    .build();
        } catch (SSLException e) {
            throw new IOException("cannot call the coordinator with the " + tls + ": " + e.getMessage(), e);
        }
    }

    /**
     * The coordinator's TLS: it presents {@code tls}'s certificate and requires one of the cluster CA from every
     * caller; each connection refused is logged and counted in {@code refused}.
     */
    public static ServerCredentials serverCredentials(TlsDir tls, AtomicLong refused) throws IOException {
        SslContext context;
        try {
            context = GrpcSslContexts.configure(SslContextBuilder.forServer(tls.key(), tls.chainArray()), SslProvider.JDK)
                    .protocols(PROTOCOLS)
                    .trustManager(tls.ca())
                    .clientAuth(ClientAuth.REQUIRE)
                    .build();
        } catch (SSLException e) {
            throw new IOException("cannot serve the control protocol with the " + tls + ": " + e.getMessage(), e);
        }
        InternalProtocolNegotiator.ProtocolNegotiator negotiator = InternalProtocolNegotiators.serverTls(context);
        return InternalNettyServerCredentials.create(new InternalProtocolNegotiator.ProtocolNegotiator() {
            @Override
            public AsciiString scheme() {
                return negotiator.scheme();
            }

            @Override
            public ChannelHandler newHandler(GrpcHttp2ConnectionHandler grpc) {
                return new RefusalLog(negotiator.newHandler(grpc), refused);
            }

            @Override
            public void close() {
                negotiator.close();
            }
        });
    }

    /**
     * Sits before gRPC's TLS negotiation on a new connection and, when the TLS handshake fails, logs the peer and why.
     * Leaves the pipeline once the connection is active (it only listens to the handshake's outcome).
     */
    private static final class RefusalLog extends ChannelInboundHandlerAdapter {
        private final ChannelHandler negotiation;
        private final AtomicLong refused;

        RefusalLog(ChannelHandler negotiation, AtomicLong refused) {
            this.negotiation = negotiation;
            this.refused = refused;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            ctx.pipeline().addAfter(ctx.name(), null, negotiation); // it puts its SslHandler between the two
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            SocketAddress peer = ctx.channel().remoteAddress();
            if (ssl != null) {
                ssl.handshakeFuture().addListener(f -> {
                    if (!f.isSuccess()) {
                        refused.incrementAndGet();
                        LOG.warn("Refused the control connection from {}: its TLS handshake failed: {}", peer,
                                TlsFailures.describe(f.cause()));
                    }
                });
            }
            ctx.fireChannelActive();
            ctx.pipeline().remove(this);
        }
    }

}
