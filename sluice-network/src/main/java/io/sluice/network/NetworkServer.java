package io.sluice.network;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A process's data server: accepts the connections of other processes' producers and delivers their channels into
 * the consumers' ends registered in its {@link InputChannels}. Each connection must present the cluster token first
 * ({@link ServerHandshake}); after that one {@link ServerConnection} serves all its channels. With TLS configured
 * ({@link NetworkConfig#tls()}) a connection is mutual TLS first: a peer without a certificate of the cluster CA is
 * refused, like one without the token.
 *
 * <p>Thread-safe. {@link #close} closes the listening socket and every connection (their channels fail); the threads
 * belong to the {@link NetworkThreads} given, which outlive the server.
 */
public final class NetworkServer implements AutoCloseable {
    private static final long CLOSE_TIMEOUT_SECONDS = 10;

    private final Channel listener;
    private final Set<Channel> connections;
    private final NetworkEvents events;

    private NetworkServer(Channel listener, Set<Channel> connections, NetworkEvents events) {
        this.listener = listener;
        this.connections = connections;
        this.events = events;
    }

    /**
     * Listens on {@code config}'s host and port (0: any free port, see {@link #address()}).
     *
     * @throws IOException if the address cannot be bound, or the TLS material cannot be used
     */
    public static NetworkServer start(NetworkThreads threads, NetworkConfig config, ClusterToken token,
            InputChannels inputs) throws IOException, InterruptedException {
        SslContext tls = config.tls().isPresent() ? DataTls.server(config.tls().get()) : null;
        Set<Channel> connections = ConcurrentHashMap.newKeySet();
        NetworkEvents events = new NetworkEvents("the data server on " + config.bindHost() + ":" + config.port());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(threads.acceptor(), threads.io())
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true) // frames are flushed when whole; no Nagle delay on top
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        ch.closeFuture().addListener(f -> connections.remove(ch));
                        FrameDecoder decoder = new FrameDecoder(Handshake.MAX_FRAME_BYTES);
                        if (tls != null) {
                            ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast("frames", decoder).addLast("handshake", new ServerHandshake(token,
                                decoder, config, events, new ServerConnection(inputs, events, config.maxPendingOpens())));
                    }
                });
        var bind = bootstrap.bind(config.bindHost(), config.port()).await();
        if (!bind.isSuccess()) {
            throw new IOException("cannot listen for data connections on " + config.bindHost() + ":" + config.port()
                    + ": " + RemoteChannelException.reason(bind.cause()), bind.cause());
        }
        NetworkServer server = new NetworkServer(bind.channel(), connections, events);
        events.describeAs("the data server on " + server.address());
        return server;
    }

    /** The address the server listens on, with the port actually bound. */
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** What it refused and dropped. */
    public NetworkEvents events() {
        return events;
    }

    /** How many connections are open now. */
    public int connectionCount() {
        return connections.size();
    }

    /** Stops listening and closes every connection, waiting up to 10 s. */
    @Override
    public void close() {
        listener.close().awaitUninterruptibly(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        for (Channel c : connections) {
            c.close().awaitUninterruptibly(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }
}
