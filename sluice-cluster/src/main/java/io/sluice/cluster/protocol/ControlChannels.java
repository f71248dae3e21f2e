package io.sluice.cluster.protocol;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.sluice.cluster.security.ControlTls;
import io.sluice.cluster.security.TokenAuth;
import io.sluice.network.ClusterToken;
import io.sluice.network.tls.TlsDir;
import io.sluice.network.tls.TlsFailures;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The client side of the control protocol, shared by workers and command-line clients: a channel to the coordinator,
 * the call options that present the cluster token with a deadline, and a one-line description of a failed call.
 */
public final class ControlChannels {
    /** How long any control call may take. */
    public static final long CALL_TIMEOUT_MILLIS = 5_000;

    private ControlChannels() {}

    /**
     * A channel to the coordinator at {@code host:port} (messages up to {@link ControlProtocol#MAX_MESSAGE_BYTES}):
     * mutual TLS with {@code tls} (the coordinator's certificate must be of the cluster CA and name {@code host}),
     * plain TCP without. The only place client channels are built.
     *
     * @throws IOException if the TLS material cannot be used
     */
    public static ManagedChannel open(String host, int port, Optional<TlsDir> tls) throws IOException {
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress(host, port)
                .maxInboundMessageSize(ControlProtocol.MAX_MESSAGE_BYTES);
        if (tls.isPresent()) {
            builder.sslContext(ControlTls.client(tls.get()));
        } else {
            builder.usePlaintext();
        }
        return builder.build();
    }

    /** Options presenting {@code token}; {@link #call} adds each call's deadline. */
    public static CallOptions authenticated(ClusterToken token) {
        return CallOptions.DEFAULT.withCallCredentials(TokenAuth.credentials(token));
    }

    /** {@code options} with the deadline of one call from now. */
    public static CallOptions call(CallOptions options) {
        return options.withDeadlineAfter(CALL_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * The code of a failed call and, if it has one, its description: {@code UNAUTHENTICATED (a cluster token ...)};
     * a failed TLS handshake also says why ({@code UNAVAILABLE (ssl exception: the peer's certificate is not ...)}).
     */
    public static String describe(StatusRuntimeException e) {
        String description = e.getStatus().getDescription();
        Throwable cause = e.getStatus().getCause();
        String why = cause == null ? "" : ": " + TlsFailures.describe(cause);
        return e.getStatus().getCode() + (description == null ? why.isEmpty() ? "" : " (" + why.substring(2) + ")"
                : " (" + description + why + ")");
    }

    /** Shuts {@code channel} down and waits for it, bounded. */
    public static void close(ManagedChannel channel) {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
