package io.sluice.cluster.worker;

import io.sluice.network.ClusterToken;
import io.sluice.network.ConnectionManager;
import io.sluice.network.InputChannels;
import io.sluice.network.NetworkConfig;
import io.sluice.network.NetworkServer;
import io.sluice.network.NetworkThreads;
import io.sluice.network.tls.TlsDir;
import java.io.IOException;
import java.util.Optional;

/**
 * A worker's data server: the Netty threads, the registry of the channels its tasks read, and the server other
 * workers' tasks send to, authenticated with the cluster token (and, with TLS, a certificate of the cluster CA).
 * Started before the worker registers (the port is part of its registration); closed when the worker stops.
 */
public final class WorkerDataPlane implements AutoCloseable {
    private final NetworkThreads threads;
    private final InputChannels inputs;
    private final NetworkServer server;
    private final ConnectionManager connections;

    private WorkerDataPlane(NetworkThreads threads, InputChannels inputs, NetworkServer server,
            ConnectionManager connections) {
        this.threads = threads;
        this.inputs = inputs;
        this.server = server;
        this.connections = connections;
    }

    /**
     * Listens on loopback, on a free port, with mutual TLS if {@code tls} is present; nothing is left running if it
     * cannot.
     */
    public static WorkerDataPlane start(ClusterToken token, Optional<TlsDir> tls) throws IOException, InterruptedException {
        NetworkConfig config = tls.map(NetworkConfig.defaults()::withTls).orElse(NetworkConfig.defaults());
        NetworkThreads threads = NetworkThreads.start(config);
        InputChannels inputs = new InputChannels();
        try {
            NetworkServer server = NetworkServer.start(threads, config, token, inputs);
            return new WorkerDataPlane(threads, inputs, server, new ConnectionManager(threads, config, token));
        } catch (IOException | RuntimeException | InterruptedException e) {
            inputs.close();
            threads.close();
            throw e;
        }
    }

    /** The port other workers connect to. */
    public int port() {
        return server.address().getPort();
    }

    /** The channels this worker's tasks read, registered at deployment. */
    public InputChannels inputs() {
        return inputs;
    }

    /** The connections to other workers' data servers, for the channels this worker's tasks write. */
    public ConnectionManager connections() {
        return connections;
    }

    @Override
    public void close() {
        connections.close();
        server.close();
        inputs.close();
        threads.close();
    }
}
