package io.sluice.network;

import io.sluice.api.types.TypeSerializer;
import io.sluice.runtime.channel.Wakeup;
import java.io.IOException;
import java.time.Duration;

/**
 * A data server and a connection manager on loopback, in one JVM, with their threads: what the network tests run
 * against. Closed in reverse order of start on every path (also when starting fails half way).
 */
final class Loopback implements AutoCloseable {
    final ClusterToken token = ClusterToken.random();
    final NetworkConfig config;
    final NetworkThreads threads;
    final NetworkBufferPool pool;
    final InputChannels inputs;
    final NetworkServer server;
    final ConnectionManager client;

    private Loopback(NetworkConfig config, NetworkConfig clientConfig) throws IOException, InterruptedException {
        this.config = config;
        this.pool = NetworkBufferPool.of(config);
        this.inputs = new InputChannels(pool, config.maxRecordBytes());
        this.threads = NetworkThreads.start(config);
        NetworkServer s = null;
        try {
            s = NetworkServer.start(threads, config, token, inputs);
            this.server = s;
            this.client = new ConnectionManager(threads, clientConfig, token, pool); // one process's pool
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (s != null) {
                s.close();
            }
            threads.close();
            throw e;
        }
    }

    /** Default settings but a handshake timeout of 2 s, so a silent peer is closed quickly. */
    static Loopback start() throws IOException, InterruptedException {
        return start(NetworkConfig.defaults().withHandshakeTimeout(Duration.ofSeconds(2)));
    }

    static Loopback start(NetworkConfig config) throws IOException, InterruptedException {
        return new Loopback(config, config);
    }

    /** A server with {@code server}'s settings and a connection manager with {@code client}'s (e.g. their own TLS). */
    static Loopback start(NetworkConfig server, NetworkConfig client) throws IOException, InterruptedException {
        return new Loopback(server, client);
    }

    /** Both ends of one channel through this loopback, and the wake-up of its consumer. */
    record Link(RemoteInputChannel in, RemoteOutputChannel out, Wakeup wakeup) {}

    /** Registers the consumer's end of {@code id} with {@code credits} and opens its producer's end to the server. */
    Link link(RemoteChannelId id, TypeSerializer<?> serializer, int credits) throws IOException, InterruptedException {
        return link(id, serializer, credits, FloatingBuffers.NONE);
    }

    /** As {@link #link(RemoteChannelId, TypeSerializer, int)}, the consumer lending it {@code floating}. */
    Link link(RemoteChannelId id, TypeSerializer<?> serializer, int credits, FloatingBuffers floating)
            throws IOException, InterruptedException {
        Wakeup wakeup = new Wakeup();
        RemoteInputChannel in = inputs.register(id, serializer, credits, floating, wakeup);
        return new Link(in, client.openOutput(server.address(), id, serializer), wakeup);
    }

    @Override
    public void close() {
        try {
            inputs.close(); // whatever a failed test left in its channels is released
            client.close();
        } finally {
            try {
                server.close();
            } finally {
                threads.close();
            }
        }
    }
}
