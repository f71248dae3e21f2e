package io.sluice.network;

import io.sluice.network.tls.TlsDir;
import io.sluice.runtime.config.EngineConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The data plane's settings, fixed when a worker starts (a worker derives them from its {@code --memory}; tests make
 * them). Nothing here reads system properties.
 *
 * @param bindHost           the address the server listens on; loopback unless the operator says otherwise
 * @param port               the server's port, 0 for any free one (its bound address tells which)
 * @param bufferBytes        the size of one network buffer: the most element bytes one data frame carries, and the
 *                           unit of credits and of the {@link NetworkBufferPool}. A record batch larger than this is
 *                           sent as several frames, each a batch of its own; one serialized record larger than this
 *                           spans several frames and is put together again by the receiver
 * @param creditsPerChannel  the buffers a consumer's end of a channel reserves and grants its sender (its exclusive
 *                           buffers): what may be in flight on the channel, in buffers, without floating ones
 * @param floatingBuffers    the buffers a consuming task reserves beside its channels' credits and lends, as extra
 *                           credits, to whichever of its remote channels has a sender waiting for credit (Flink's
 *                           floating buffers): one channel that carries most of the data gets a deeper pipeline
 *                           without every channel reserving one
 * @param maxRecordBytes     the largest serialized element (one record with its batch header) a channel carries: a
 *                           larger one fails its channel, naming it; a receiver refuses a peer that sends more
 * @param networkMemoryBytes the process's network memory: the {@link NetworkBufferPool} holds this many bytes in
 *                           buffers of {@code bufferBytes}
 * @param handshakeTimeout   how long a new connection may take to present the cluster token before it is closed
 * @param ioThreads          event loop threads for all connections of the process
 * @param maxPendingOpens    how many channel openings one connection may have waiting for their receivers to be
 *                           deployed; more is a protocol error, so a peer cannot make the server remember without bound
 * @param tls                this process's TLS material, or empty for plain TCP: with it, every connection is mutual
 *                           TLS (TLS 1.3, the JDK's provider) before anything else is said on it, the server requiring
 *                           a certificate of the cluster CA from every peer, and a client checking that the server's
 *                           certificate names the host it dialed; the cluster token is checked on top of it
 */
public record NetworkConfig(String bindHost, int port, int bufferBytes, int creditsPerChannel, int floatingBuffers,
        int maxRecordBytes,
        long networkMemoryBytes, Duration handshakeTimeout, int ioThreads, int maxPendingOpens, Optional<TlsDir> tls) {

    /** The smallest buffer: room for a few records beside the frame's header. */
    static final int MIN_BUFFER_BYTES = 1024;
    /**
     * The default buffer, the engine's ({@link EngineConfig#DEFAULT_BUFFER_BYTES}: in-process batches are bounded in the
     * same buffers); see docs/distributed.md §5 for why 8 KiB rather than Flink's 32 KiB.
     */
    public static final int DEFAULT_BUFFER_BYTES = EngineConfig.DEFAULT_BUFFER_BYTES;
    /** The default credits of a channel (Flink's exclusive buffers per channel). */
    public static final int DEFAULT_CREDITS = 2;
    /** The default floating buffers of a consuming task (Flink's default too, in its 32 KiB buffers). */
    public static final int DEFAULT_FLOATING_BUFFERS = 8;
    /** The default bound of one serialized record. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 64 << 20;
    /** The network memory of a process not given one (a test, a worker without {@code --memory}). */
    public static final long DEFAULT_NETWORK_MEMORY_BYTES = 64L << 20;

    public NetworkConfig {
        Objects.requireNonNull(bindHost, "bindHost");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(tls, "tls");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("a port is 0 to 65535, was " + port);
        }
        if (bufferBytes < MIN_BUFFER_BYTES || bufferBytes > (1 << 30)) {
            throw new IllegalArgumentException("a network buffer is " + MIN_BUFFER_BYTES + " bytes to 1 GiB, was "
                    + bufferBytes);
        }
        if (creditsPerChannel < 1) {
            throw new IllegalArgumentException("a channel needs at least one credit, was given " + creditsPerChannel);
        }
        if (floatingBuffers < 0) {
            throw new IllegalArgumentException("a task's floating buffers cannot be negative, was " + floatingBuffers);
        }
        if (maxRecordBytes < bufferBytes) {
            throw new IllegalArgumentException("the record limit (" + maxRecordBytes + " bytes) must be at least a"
                    + " buffer (" + bufferBytes + " bytes)");
        }
        if (networkMemoryBytes < bufferBytes) {
            throw new IllegalArgumentException("the network memory (" + networkMemoryBytes + " bytes) must hold at least"
                    + " one buffer of " + bufferBytes + " bytes");
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

    /**
     * Loopback, any free port, buffers of 8 KiB, 2 credits per channel and 8 floating buffers per consuming task,
     * records up to 64 MiB, 64 MiB of network memory, 10 s to shake hands, one network thread, plain TCP.
     */
    public static NetworkConfig defaults() {
        return new NetworkConfig("127.0.0.1", 0, DEFAULT_BUFFER_BYTES, DEFAULT_CREDITS, DEFAULT_FLOATING_BUFFERS,
                DEFAULT_MAX_RECORD_BYTES, DEFAULT_NETWORK_MEMORY_BYTES, Duration.ofSeconds(10), 1, 100_000,
                Optional.empty());
    }

    /**
     * The buffers of records one channel holds at most while its consumer does not read: the credits its consumer
     * grants (sent, not yet given back), every floating buffer its consumer may lend it, and the element waiting for
     * credit at its producer. What an in-process channel of a worker holds too ({@code EngineConfig.channelCapacity}),
     * so that the data one channel holds in flight does not depend on where its tasks are placed.
     */
    public int buffersPerChannel() {
        return creditsPerChannel + floatingBuffers + RemoteOutputChannel.RESERVED_BUFFERS;
    }

    /** The hard limit of one frame after its length prefix: a data frame's header and one buffer. */
    public int maxFrameBytes() {
        return Frames.DATA_HEADER_BYTES + bufferBytes;
    }

    public NetworkConfig withBufferBytes(int bytes) {
        return new NetworkConfig(bindHost, port, bytes, creditsPerChannel, floatingBuffers, Math.max(maxRecordBytes,
                bytes), Math.max(networkMemoryBytes, bytes), handshakeTimeout, ioThreads, maxPendingOpens, tls);
    }

    public NetworkConfig withCreditsPerChannel(int credits) {
        return new NetworkConfig(bindHost, port, bufferBytes, credits, floatingBuffers, maxRecordBytes,
                networkMemoryBytes, handshakeTimeout, ioThreads, maxPendingOpens, tls);
    }

    public NetworkConfig withFloatingBuffers(int buffers) {
        return new NetworkConfig(bindHost, port, bufferBytes, creditsPerChannel, buffers, maxRecordBytes,
                networkMemoryBytes, handshakeTimeout, ioThreads, maxPendingOpens, tls);
    }

    public NetworkConfig withMaxRecordBytes(int bytes) {
        return new NetworkConfig(bindHost, port, bufferBytes, creditsPerChannel, floatingBuffers, bytes,
                networkMemoryBytes, handshakeTimeout, ioThreads, maxPendingOpens, tls);
    }

    public NetworkConfig withNetworkMemoryBytes(long bytes) {
        return new NetworkConfig(bindHost, port, bufferBytes, creditsPerChannel, floatingBuffers, maxRecordBytes, bytes,
                handshakeTimeout, ioThreads, maxPendingOpens, tls);
    }

    public NetworkConfig withHandshakeTimeout(Duration timeout) {
        return new NetworkConfig(bindHost, port, bufferBytes, creditsPerChannel, floatingBuffers, maxRecordBytes,
                networkMemoryBytes, timeout, ioThreads, maxPendingOpens, tls);
    }

    public NetworkConfig withIoThreads(int threads) {
        return new NetworkConfig(bindHost, port, bufferBytes, creditsPerChannel, floatingBuffers, maxRecordBytes,
                networkMemoryBytes, handshakeTimeout, threads, maxPendingOpens, tls);
    }

    public NetworkConfig withMaxPendingOpens(int opens) {
        return new NetworkConfig(bindHost, port, bufferBytes, creditsPerChannel, floatingBuffers, maxRecordBytes,
                networkMemoryBytes, handshakeTimeout, ioThreads, opens, tls);
    }

    /** The server listening on {@code host} (an address of this machine; {@code 0.0.0.0} for all) instead. */
    public NetworkConfig withBindHost(String host) {
        return new NetworkConfig(host, port, bufferBytes, creditsPerChannel, floatingBuffers, maxRecordBytes,
                networkMemoryBytes, handshakeTimeout, ioThreads, maxPendingOpens, tls);
    }

    /** Mutual TLS with {@code material} on every connection (see {@code tls} above). */
    public NetworkConfig withTls(TlsDir material) {
        return new NetworkConfig(bindHost, port, bufferBytes, creditsPerChannel, floatingBuffers, maxRecordBytes,
                networkMemoryBytes, handshakeTimeout, ioThreads, maxPendingOpens, Optional.of(material));
    }
}
