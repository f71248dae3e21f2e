package io.sluice.network;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.sluice.api.types.TypeSerializer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The connecting side of a process's data plane: at most one connection per remote data server, shared by every
 * channel from this process to that one, opened on first use. A connection that closed is replaced by a new one on
 * the next request (the channels of the old one have failed by then).
 *
 * <p>Thread-safe: concurrent requests for one address wait for the same connection. {@link #close} closes every
 * connection; the threads belong to the {@link NetworkThreads} given.
 */
public final class ConnectionManager implements AutoCloseable {
    private static final long CLOSE_TIMEOUT_SECONDS = 10;

    private final NetworkThreads threads;
    private final NetworkConfig config;
    private final ClusterToken token;
    private final NetworkBufferPool pool;
    private final SslContext tls; // null: plain TCP
    private final NetworkEvents events = new NetworkEvents("the data client");
    private final ConcurrentHashMap<InetSocketAddress, CompletableFuture<ClientConnection>> connections =
            new ConcurrentHashMap<>();
    private final Set<Channel> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * Connects with {@code config}'s settings, presenting {@code token} (and, with {@link NetworkConfig#tls()}, this
     * process's certificate).
     *
     * @throws IllegalArgumentException if the TLS material cannot be used
     */
    public ConnectionManager(NetworkThreads threads, NetworkConfig config, ClusterToken token) {
        this(threads, config, token, NetworkBufferPool.of(config));
    }

    /**
     * As {@link #ConnectionManager(NetworkThreads, NetworkConfig, ClusterToken)}, the channels it opens reserving their
     * buffers in {@code pool} (the process's, shared with its {@link InputChannels}).
     */
    public ConnectionManager(NetworkThreads threads, NetworkConfig config, ClusterToken token, NetworkBufferPool pool) {
        this.threads = threads;
        this.config = config;
        this.token = token;
        this.pool = pool;
        try {
            this.tls = config.tls().isPresent() ? DataTls.client(config.tls().get()) : null;
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * Opens channel {@code id} to the data server at {@code address}, connecting first if this process has no open
     * connection there.
     *
     * @throws IOException                         if no connection can be made or the server refuses the handshake,
     *                                             within the handshake timeout (twice it, at most, with the TCP
     *                                             connect)
     * @throws InsufficientNetworkBuffersException if the network buffer pool cannot give the channel its buffer
     */
    public RemoteOutputChannel openOutput(InetSocketAddress address, RemoteChannelId id, TypeSerializer<?> serializer)
            throws IOException, InterruptedException {
        return connection(address).openOutput(id, serializer);
    }

    /** The open connection to {@code address}, made now if there is none. See {@link #openOutput}. */
    public ClientConnection connection(InetSocketAddress address) throws IOException, InterruptedException {
        while (true) {
            if (closed) {
                throw new IllegalStateException("the connection manager is closed");
            }
            CompletableFuture<ClientConnection> mine = new CompletableFuture<>();
            CompletableFuture<ClientConnection> existing = connections.putIfAbsent(address, mine);
            if (existing == null) {
                connect(address, mine);
                existing = mine;
            }
            ClientConnection connection;
            try {
                connection = existing.get(3 * config.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                connections.remove(address, existing);
                throw new IOException("cannot open a data connection to " + address + ": " + RemoteChannelException.reason(e.getCause()),
                        e.getCause());
            } catch (TimeoutException e) {
                connections.remove(address, existing);
                throw new IOException("cannot open a data connection to " + address + " within "
                        + 3 * config.handshakeTimeout().toMillis() + " ms");
            }
            if (connection.isOpen()) {
                return connection;
            }
            connections.remove(address, existing); // it closed since: make a new one
        }
    }

    private void connect(InetSocketAddress address, CompletableFuture<ClientConnection> result) {
        ClientConnection connection = new ClientConnection(address, token, config, pool, events);
        Bootstrap bootstrap = new Bootstrap()
                .group(threads.io())
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.handshakeTimeout().toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) { // the name dialed is the name the server's certificate must bear
                            ch.pipeline().addLast("tls", tls.newHandler(ch.alloc(), address.getHostString(), address.getPort()));
                        }
                        ch.pipeline().addLast("frames", new FrameDecoder(ClientConnection.MAX_INBOUND_FRAME_BYTES))
                                .addLast("connection", connection.handler());
                    }
                });
        ChannelFuture connecting = bootstrap.connect(address);
        Channel channel = connecting.channel();
        open.add(channel);
        channel.closeFuture().addListener(f -> open.remove(channel));
        if (closed) {
            channel.close(); // close() may have run before the channel was added
        }
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(f.cause());
            }
        });
        connection.handshake().whenComplete((c, e) -> {
            if (e != null) {
                result.completeExceptionally(e);
            } else {
                result.complete(c);
            }
        });
    }

    /** What this side refused and dropped: servers that broke the protocol. */
    public NetworkEvents events() {
        return events;
    }

    /** Closes every connection, waiting up to 10 s for each; their channels fail. */
    @Override
    public void close() {
        closed = true;
        for (Channel channel : open) {
            channel.close().awaitUninterruptibly(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        connections.clear();
    }
}
