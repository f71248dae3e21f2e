package io.sluice.cluster.worker;

import io.sluice.network.ClusterToken;
import io.sluice.network.ConnectionManager;
import io.sluice.network.InputChannels;
import io.sluice.network.NetworkBufferPool;
import io.sluice.network.NetworkConfig;
import io.sluice.network.NetworkServer;
import io.sluice.network.NetworkThreads;
import io.sluice.network.tls.TlsDir;
import io.sluice.runtime.config.EngineConfig;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's data server: the Netty threads, the worker's one pool of network buffers, the registry of the channels
 * its tasks read, and the server other workers' tasks send to, authenticated with the cluster token (and, with TLS, a
 * certificate of the cluster CA). Every remote channel of the worker reserves its buffers in the pool, sized from the
 * worker's {@link WorkerMemory}. Started before the worker registers (the port is part of its registration); closed
 * when the worker stops.
 */
public final class WorkerDataPlane implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerDataPlane.class);
    /**
     * The buffers a worker's pool holds at least, whatever its memory: an all-to-all edge at parallelism 64 on 4
     * workers of 16 slots takes 2,432 of them (docs/distributed.md §5), with room beside it.
     */
    static final int MIN_POOL_BUFFERS = 3_072;
    /** The largest network buffer: Flink's. */
    static final int MAX_BUFFER_BYTES = 32 << 10;

    private final NetworkConfig config;
    private final NetworkThreads threads;
    private final InputChannels inputs;
    private final NetworkServer server;
    private final ConnectionManager connections;

    private WorkerDataPlane(NetworkConfig config, NetworkThreads threads, InputChannels inputs, NetworkServer server,
            ConnectionManager connections) {
        this.config = config;
        this.threads = threads;
        this.inputs = inputs;
        this.server = server;
        this.connections = connections;
    }

    /** {@link #start(ClusterToken, Optional, WorkerMemory)} with the default network memory (64 MiB). */
    public static WorkerDataPlane start(ClusterToken token, Optional<TlsDir> tls) throws IOException, InterruptedException {
        return start(token, tls, null);
    }

    /**
     * Listens on loopback, on a free port, with mutual TLS if {@code tls} is present, its network buffers sized from
     * {@code memory} ({@code null}: the default 64 MiB); nothing is left running if it cannot.
     */
    public static WorkerDataPlane start(ClusterToken token, Optional<TlsDir> tls, WorkerMemory memory)
            throws IOException, InterruptedException {
        return start(token, tls, memory, NetworkConfig.defaults().bindHost());
    }

    /**
     * As {@link #start(ClusterToken, Optional, WorkerMemory)}, listening on {@code bindHost} (an address of this
     * machine, or {@code 0.0.0.0}: other hosts' workers then reach it) rather than loopback.
     */
    public static WorkerDataPlane start(ClusterToken token, Optional<TlsDir> tls, WorkerMemory memory, String bindHost)
            throws IOException, InterruptedException {
        NetworkConfig config = config(tls, memory).withBindHost(bindHost);
        NetworkBufferPool pool = NetworkBufferPool.of(config);
        NetworkThreads threads = NetworkThreads.start(config);
        InputChannels inputs = new InputChannels(pool, config.maxRecordBytes());
        try {
            NetworkServer server = NetworkServer.start(threads, config, token, inputs);
            LOG.info("Network: {} buffers of {} KiB ({} MiB), {} credits per channel, {} floating per task",
                    pool.total(), config.bufferBytes() >> 10, config.networkMemoryBytes() >> 20, config.creditsPerChannel(),
                    config.floatingBuffers());
            return new WorkerDataPlane(config, threads, inputs, server, new ConnectionManager(threads, config, token,
                    pool));
        } catch (IOException | RuntimeException | InterruptedException e) {
            inputs.close();
            threads.close();
            throw e;
        }
    }

    /**
     * The data plane's settings for {@code memory} ({@code null}: none given): its network memory, in buffers of the
     * size {@link #bufferBytesFor} picks.
     */
    static NetworkConfig config(Optional<TlsDir> tls, WorkerMemory memory) {
        NetworkConfig config = tls.map(NetworkConfig.defaults()::withTls).orElse(NetworkConfig.defaults());
        if (memory != null) {
            config = config.withNetworkMemoryBytes(memory.networkBytes());
        }
        return config.withBufferBytes(bufferBytesFor(config.networkMemoryBytes()));
    }

    /**
     * The network buffer of a worker with {@code networkBytes} of network memory: the largest power of two from 8 KiB
     * (the embedded cluster's) up to 32 KiB of which the pool holds at least {@link #MIN_POOL_BUFFERS}. So every
     * worker holds as many buffers, enough for the wide edge the smallest one is sized for, and a larger worker sends
     * larger frames and batches: fewer system calls, wake-ups and credits per record (on the keyed count over 2
     * workers, frames of 512 records instead of 341: docs/benchmarks.md "Buffers sized from the worker's memory").
     * The in-process channels' batches and capacity follow (bounded in the same buffers), so what they hold grows
     * in proportion to the worker's memory, as for the smallest default worker (256 MiB, 8 KiB).
     */
    static int bufferBytesFor(long networkBytes) {
        int bytes = NetworkConfig.DEFAULT_BUFFER_BYTES;
        while (bytes < MAX_BUFFER_BYTES && networkBytes / (2L * bytes) >= MIN_POOL_BUFFERS) {
            bytes *= 2;
        }
        return bytes;
    }

    /**
     * The engine settings of the tasks of a worker whose network has {@code network}'s settings: batches of at most
     * one network buffer and of as many records per byte as the embedded cluster's (512 records per 8 KiB: 2,048 in a
     * 32 KiB buffer, never fewer than 512), and in-process channels that hold what a network channel holds
     * ({@link NetworkConfig#buffersPerChannel()}: 11 buffers by default, where the embedded cluster's hold 8), so that
     * the data one channel holds in flight does not depend on whether it crosses workers (docs/distributed.md §2.6).
     * Why the record count grows with the buffer: with it fixed at 512, a 32 KiB buffer of small records (the keyed
     * count's 24 bytes) left with 12 KiB, and each frame cost its system calls, wake-ups and credit for a third of
     * what it could carry (docs/benchmarks.md "Batches as large as the buffer").
     */
    public static EngineConfig engineConfig(NetworkConfig network) {
        EngineConfig embedded = EngineConfig.defaults();
        long recordsPerBuffer = (long) embedded.batchSize() * network.bufferBytes() / embedded.bufferBytes();
        return embedded.withBufferBytes(network.bufferBytes())
                .withBatchSize((int) Math.max(embedded.batchSize(), recordsPerBuffer))
                .withChannelCapacity(network.buffersPerChannel());
    }

    /** The data plane's settings (buffer size, credits per channel, network memory). */
    public NetworkConfig config() {
        return config;
    }

    /**
     * The worker's pool of network buffers: {@link NetworkBufferPool#used()} is how many its open channels hold now
     * (cheap to read; the metric of issue 16 will report it).
     */
    public NetworkBufferPool networkBuffers() {
        return inputs.pool();
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
