package io.sluice.cluster.client;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.sluice.cluster.protocol.ControlChannels;
import io.sluice.cluster.protocol.ControlMessages.StatusReply;
import io.sluice.cluster.protocol.ControlMessages.StatusRequest;
import io.sluice.cluster.protocol.ControlProtocol;
import io.sluice.network.ClusterToken;
import java.io.IOException;

/** What a command-line client asks a coordinator, with the cluster token on every call. Closed after use. */
public final class ClusterClient implements AutoCloseable {
    private final ManagedChannel channel;
    private final CallOptions options;
    private final String address;

    public ClusterClient(String host, int port, ClusterToken token) {
        this.address = host + ":" + port;
        this.channel = ControlChannels.open(host, port);
        this.options = ControlChannels.authenticated(token);
    }

    /** The coordinator's workers; fails naming the coordinator if it cannot be reached or refuses. */
    public StatusReply status() throws IOException {
        try {
            return ClientCalls.blockingUnaryCall(channel, ControlProtocol.STATUS, ControlChannels.call(options),
                    new StatusRequest());
        } catch (StatusRuntimeException e) {
            throw new IOException("the coordinator at " + address + " did not answer: " + ControlChannels.describe(e), e);
        }
    }

    @Override
    public void close() {
        ControlChannels.close(channel);
    }
}
