package io.sluice.network;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data plane's threads in one process: one thread that accepts connections and a few event loops that run every
 * connection, server's and client's alike. Named {@code sluice network: ...}, daemon, started on first use, and
 * stopped by {@link #close} (which waits, bounded). Close servers and connection managers first.
 *
 * <p>Thread-safe.
 */
public final class NetworkThreads implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkThreads.class);
    private static final long CLOSE_TIMEOUT_SECONDS = 10;

    private final EventLoopGroup acceptor;
    private final EventLoopGroup io;

    private NetworkThreads(int ioThreads) {
        this.acceptor = new MultiThreadIoEventLoopGroup(1, named("sluice network: accept"), NioIoHandler.newFactory());
        this.io = new MultiThreadIoEventLoopGroup(ioThreads, named("sluice network: io "), NioIoHandler.newFactory());
    }

    /** The threads for {@code config}: {@code ioThreads} event loops. */
    public static NetworkThreads start(NetworkConfig config) {
        return new NetworkThreads(config.ioThreads());
    }

    EventLoopGroup acceptor() {
        return acceptor;
    }

    EventLoopGroup io() {
        return io;
    }

    /** Stops every thread, waiting up to 10 s for them to end; a thread that does not is logged, not waited for. */
    @Override
    public void close() {
        acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        io.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        try {
            if (!acceptor.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    || !io.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("the network threads did not stop within {} s", CLOSE_TIMEOUT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A factory of daemon threads called {@code name}, numbered from 1 if it ends with a space. */
    private static ThreadFactory named(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            String n = name.endsWith(" ") ? name + count.incrementAndGet() : name;
            Thread t = new FastThreadLocalThread(task, n); // Netty's thread locals are fastest on its own threads
            t.setDaemon(true);
            return t;
        };
    }
}
