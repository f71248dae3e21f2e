package io.sluice.web;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.sluice.network.ClusterToken;
import io.sluice.network.tls.TlsDir;
import io.sluice.runtime.monitor.JobsView;
import io.sluice.web.api.RestApi;
import io.sluice.web.api.Sampler;
import io.sluice.web.metrics.PrometheusEndpoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP server of the REST API ({@code /v1/...}), the metrics ({@code /metrics}) and the dashboard ({@code /}),
 * over a {@link JobsView}. Netty's HTTP codec (already a dependency of the cluster through sluice-network) rather
 * than Javalin, which would bring Jetty and Kotlin. Every route but the dashboard's static files needs
 * {@code Authorization: Bearer <cluster token>}. Listens on loopback unless told otherwise; with a TLS directory,
 * HTTPS with the process's certificate of the cluster CA (no client certificate asked: browsers have none).
 *
 * <p>Threads: one Netty acceptor/IO group of 1 thread ({@code sluice web: io}), requests handled on a bounded pool
 * of 2 ({@code sluice web: requests}, 64 waiting; a full pool answers 503), savepoints on their own pool. Closing
 * stops all of them.
 */
public final class WebServer implements AutoCloseable {
    /** The server's settings: where it listens, the token, TLS, where savepoints may go. */
    public record Settings(String host, int port, ClusterToken token, Path tlsDir, String tlsName, List<Path> savepointRoots,
            String version) {

        public Settings {
            savepointRoots = List.copyOf(savepointRoots);
        }

        /** Loopback, an ephemeral port, no TLS, no extra savepoint root. */
        public static Settings loopback(ClusterToken token) {
            return new Settings("127.0.0.1", 0, token, null, null, List.of(), defaultVersion());
        }

        public Settings withPort(int p) {
            return new Settings(host, p, token, tlsDir, tlsName, savepointRoots, version);
        }

        public Settings withHost(String h) {
            return new Settings(h, port, token, tlsDir, tlsName, savepointRoots, version);
        }

        public Settings withTls(Path dir, String name) {
            return new Settings(host, port, token, dir, name, savepointRoots, version);
        }

        public Settings withSavepointRoots(List<Path> roots) {
            return new Settings(host, port, token, tlsDir, tlsName, roots, version);
        }

        private static String defaultVersion() {
            String v = WebServer.class.getPackage().getImplementationVersion();
            return v != null ? v : "0.1.0-SNAPSHOT";
        }
    }

    private final EventLoopGroup group;
    private final Channel channel;
    private final ThreadPoolExecutor requests;
    private final RestApi api;
    private final PrometheusEndpoint metrics;
    private final boolean https;

    private WebServer(EventLoopGroup group, Channel channel, ThreadPoolExecutor requests, RestApi api,
            PrometheusEndpoint metrics, boolean https) {
        this.group = group;
        this.channel = channel;
        this.requests = requests;
        this.api = api;
        this.metrics = metrics;
        this.https = https;
    }

    /** Starts serving {@code jobs}; fails (nothing left running) when it cannot listen or load its TLS material. */
    public static WebServer start(JobsView jobs, Settings settings) throws IOException {
        SslContext ssl = null;
        if (settings.tlsDir() != null) {
            TlsDir tls = TlsDir.load(settings.tlsDir(), settings.tlsName() != null ? settings.tlsName() : "coordinator");
            ssl = SslContextBuilder.forServer(tls.key(), tls.chainArray()).build();
        }
        Sampler sampler = new Sampler(jobs);
        RestApi api = new RestApi(jobs, settings.savepointRoots(), settings.version(), sampler);
        PrometheusEndpoint metrics = new PrometheusEndpoint(jobs, sampler);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(64), r -> {
            Thread t = new Thread(r, "sluice web: requests");
            t.setDaemon(true);
            return t;
        });
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, r -> {
            Thread t = new Thread(r, "sluice web: io");
            t.setDaemon(true);
            return t;
        }, NioIoHandler.newFactory());
        Routes routes = new Routes(api, metrics, settings.token());
        SslContext sslContext = ssl;
        try {
            Channel ch = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            if (sslContext != null) {
                                c.pipeline().addLast(sslContext.newHandler(c.alloc()));
                            }
                            c.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                                    new HttpHandler(routes, pool));
                        }
                    }).bind(settings.host(), settings.port()).sync().channel();
            return new WebServer(group, ch, pool, api, metrics, ssl != null);
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            pool.shutdownNow();
            api.close();
            metrics.close();
            throw new IOException("the web server cannot listen on " + settings.host() + ":" + settings.port() + ": "
                    + (e.getMessage() != null ? e.getMessage() : e.getClass().getName()), e);
        }
    }

    /** The port it listens on. */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** {@code HOST:PORT} it listens on. */
    public String address() {
        InetSocketAddress a = (InetSocketAddress) channel.localAddress();
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    /** The dashboard's URL. */
    public String url() {
        return (https ? "https" : "http") + "://" + address() + "/";
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        requests.shutdownNow();
        api.close();
        metrics.close();
    }
}
