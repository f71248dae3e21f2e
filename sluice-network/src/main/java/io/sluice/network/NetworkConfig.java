package io.sluice.network;

import io.sluice.network.tls.TlsDir;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The data plane's settings, fixed when a worker starts (a worker reads them from its own configuration; tests make
 * them). Nothing here reads system properties.
 *
 * @param bindHost         the address the server listens on; loopback unless the operator says otherwise
 * @param port             the server's port, 0 for any free one (its bound address tells which)
 * @param maxFrameBytes    the hard limit of one frame after its length prefix: a longer frame is a protocol error that
 *                         closes its connection; a sender splits a larger record batch into several frames, and a
 *                         single record larger than this fails its channel
 * @param handshakeTimeout how long a new connection may take to present the cluster token before it is closed
 * @param ioThreads        event loop threads for all connections of the process
 * @param maxPendingOpens  how many channel openings one connection may have waiting for their receivers to be deployed;
 *                         more is a protocol error, so a peer cannot make the server remember without bound
 * @param tls              this process's TLS material, or empty for plain TCP: with it, every connection is mutual TLS
 *                         (TLS 1.3, the JDK's provider) before anything else is said on it, the server requiring a
 *                         certificate of the cluster CA from every peer, and a client checking that the server's
 *                         certificate names the host it dialed; the cluster token is checked on top of it
 */
public record NetworkConfig(String bindHost, int port, int maxFrameBytes, Duration handshakeTimeout, int ioThreads,
        int maxPendingOpens, Optional<TlsDir> tls) {

    /** The smallest frame limit: a handshake with the longest token and room for some records. */
    static final int MIN_FRAME_BYTES = 4096;

    public NetworkConfig {
        Objects.requireNonNull(bindHost, "bindHost");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(tls, "tls");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("a port is 0 to 65535, was " + port);
        }
        if (maxFrameBytes < MIN_FRAME_BYTES) {
            throw new IllegalArgumentException("the frame limit must be at least " + MIN_FRAME_BYTES + " bytes, was "
                    + maxFrameBytes);
        }
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("the handshake timeout must be positive, was " + handshakeTimeout);
        }
        if (ioThreads < 1) {
            throw new IllegalArgumentException("at least one network thread, was " + ioThreads);
        }
        if (maxPendingOpens < 1) {
            throw new IllegalArgumentException("at least one pending channel opening, was " + maxPendingOpens);
        }
    }

    /** Loopback, any free port, frames up to 4 MiB, 10 s to shake hands, one network thread, plain TCP. */
    public static NetworkConfig defaults() {
        return new NetworkConfig("127.0.0.1", 0, 4 << 20, Duration.ofSeconds(10), 1, 100_000, Optional.empty());
    }

    public NetworkConfig withMaxFrameBytes(int bytes) {
        return new NetworkConfig(bindHost, port, bytes, handshakeTimeout, ioThreads, maxPendingOpens, tls);
    }

    public NetworkConfig withHandshakeTimeout(Duration timeout) {
        return new NetworkConfig(bindHost, port, maxFrameBytes, timeout, ioThreads, maxPendingOpens, tls);
    }

    public NetworkConfig withIoThreads(int threads) {
        return new NetworkConfig(bindHost, port, maxFrameBytes, handshakeTimeout, threads, maxPendingOpens, tls);
    }

    public NetworkConfig withMaxPendingOpens(int opens) {
        return new NetworkConfig(bindHost, port, maxFrameBytes, handshakeTimeout, ioThreads, opens, tls);
    }

    /** Mutual TLS with {@code material} on every connection (see {@code tls} above). */
    public NetworkConfig withTls(TlsDir material) {
        return new NetworkConfig(bindHost, port, maxFrameBytes, handshakeTimeout, ioThreads, maxPendingOpens,
                Optional.of(material));
    }
}
