package io.sluice.cluster.client;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.sluice.cluster.protocol.ControlMessages.StatusReply;
import io.sluice.cluster.protocol.ControlMessages.StatusRequest;
import io.sluice.cluster.protocol.ControlProtocol;
import io.sluice.network.ClusterToken;
import io.sluice.cluster.security.TokenAuth;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** What a command-line client asks a coordinator, with the cluster token on every call. Closed after use. */
public final class ClusterClient implements AutoCloseable {
    private static final long CALL_TIMEOUT_MILLIS = 5_000;
    private final ManagedChannel channel;
    private final CallOptions options;
    private final String address;

    public ClusterClient(String host, int port, ClusterToken token) {
        this.address = host + ":" + port;
        this.channel = NettyChannelBuilder.forAddress(host, port).usePlaintext()
                .maxInboundMessageSize(ControlProtocol.MAX_MESSAGE_BYTES).build();
        this.options = CallOptions.DEFAULT.withCallCredentials(TokenAuth.credentials(token));
    }

    /** The coordinator's workers; fails naming the coordinator if it cannot be reached or refuses. */
    public StatusReply status() throws IOException {
        try {
            return ClientCalls.blockingUnaryCall(channel, ControlProtocol.STATUS,
                    options.withDeadlineAfter(CALL_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS), new StatusRequest());
        } catch (StatusRuntimeException e) {
            throw new IOException("the coordinator at " + address + " did not answer: " + e.getStatus().getCode()
                    + (e.getStatus().getDescription() == null ? "" : " (" + e.getStatus().getDescription() + ")"), e);
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
