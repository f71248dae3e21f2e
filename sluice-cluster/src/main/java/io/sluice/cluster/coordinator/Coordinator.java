package io.sluice.cluster.coordinator;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.sluice.cluster.RpcThreads;
import io.sluice.cluster.blob.BlobStore;
import io.sluice.cluster.protocol.ControlMessages.RegisterRequest;
import io.sluice.cluster.protocol.ControlProtocol;
import io.sluice.network.ClusterToken;
import io.sluice.cluster.security.ControlTls;
import io.sluice.cluster.security.TokenAuth;
import io.sluice.network.tls.TlsDir;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster's coordinator: serves the control protocol (registration, heartbeats, status, job submission, the
 * workers' control streams) to authenticated callers only, declares workers dead when their heartbeats stop or their
 * control stream breaks, and runs jobs ({@link Jobs}). Owns its gRPC server, its handler pool, its heartbeat monitor
 * thread and its job table; {@link #close()} ends them all.
 */
public final class Coordinator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);

    /**
     * @param bind                    the address to listen on (loopback unless told otherwise)
     * @param port                    0 for an ephemeral port
     * @param heartbeatIntervalMillis how often workers beat
     * @param heartbeatTimeoutMillis  how long a silent worker lives
     * @param tls                     the coordinator's TLS material, or empty for plain TCP: with it, every caller must
     *                                present a certificate of the cluster CA ({@link ControlTls})
     */
    public record Settings(String bind, int port, long heartbeatIntervalMillis, long heartbeatTimeoutMillis,
            Optional<TlsDir> tls) {
        public Settings {
            Objects.requireNonNull(bind, "bind");
            Objects.requireNonNull(tls, "tls");
        }

        /** Plain TCP. */
        public Settings(String bind, int port, long heartbeatIntervalMillis, long heartbeatTimeoutMillis) {
            this(bind, port, heartbeatIntervalMillis, heartbeatTimeoutMillis, Optional.empty());
        }

        public static Settings defaults() {
            return new Settings("127.0.0.1", 0, 1_000, 5_000);
        }

        /** These settings with mutual TLS. */
        public Settings withTls(TlsDir material) {
            return new Settings(bind, port, heartbeatIntervalMillis, heartbeatTimeoutMillis, Optional.of(material));
        }
    }

    private final Server server;
    private final ExecutorService handlers;
    /** Runs savepoint, stop and cancel requests, which may take long, apart from the handlers. */
    private final ExecutorService actions;
    private final ScheduledExecutorService monitor;
    private final WorkerRegistry registry;
    private final Jobs jobs;
    private final Settings settings;
    private final AtomicLong refusedTls;
    /** The REST API's port, announced once it serves; 0 before (see {@link #announceRestPort}). */
    private final AtomicInteger restPort;

    private Coordinator(Settings settings, Server server, ExecutorService handlers, ExecutorService actions,
            ScheduledExecutorService monitor, WorkerRegistry registry, Jobs jobs, AtomicLong refusedTls,
            AtomicInteger restPort) {
        this.restPort = restPort;
        this.actions = actions;
        this.settings = settings;
        this.refusedTls = refusedTls;
        this.server = server;
        this.handlers = handlers;
        this.monitor = monitor;
        this.registry = registry;
        this.jobs = jobs;
    }

    /**
     * Starts a coordinator that keeps job jars under {@code workDir} and runs jobs as {@code jobSettings} say; fails
     * (nothing left running) if it cannot listen.
     */
    public static Coordinator start(Settings settings, ClusterToken token, Path workDir, Jobs.Settings jobSettings)
            throws IOException {
        long start = System.nanoTime();
        LongSupplier clock = () -> (System.nanoTime() - start) / 1_000_000;
        WorkerSessions sessions = new WorkerSessions();
        BlobStore blobs = new BlobStore(workDir.resolve("blobs"));
        WorkersListener listener = new WorkersListener();
        WorkerRegistry registry = new WorkerRegistry(settings.heartbeatTimeoutMillis(), clock, listener);
        Jobs jobs = new Jobs(jobSettings, registry, sessions, blobs, clock);
        listener.jobs = jobs;
        ExecutorService handlers = RpcThreads.pool("coordinator rpc", 4, 1_024);
        ExecutorService actions = RpcThreads.refusingPool("coordinator job actions", 2, 64);
        ScheduledExecutorService monitor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice coordinator: heartbeat monitor");
            t.setDaemon(true);
            return t;
        });
        Server server;
        AtomicLong refusedTls = new AtomicLong();
        AtomicInteger restPort = new AtomicInteger();
        try {
            InetSocketAddress address = new InetSocketAddress(settings.bind(), settings.port());
            NettyServerBuilder builder = settings.tls().isPresent()
                    ? NettyServerBuilder.forAddress(address, ControlTls.serverCredentials(settings.tls().get(), refusedTls))
                    : NettyServerBuilder.forAddress(address);
            server = builder
                    .executor(handlers)
                    .maxInboundMessageSize(ControlProtocol.MAX_MESSAGE_BYTES)
                    .addService(ServerInterceptors.intercept(
                            new ControlService(registry, settings, sessions, jobs, blobs, actions, restPort).definition(),
                            TokenAuth.interceptor(token)))
                    .build()
                    .start();
        } catch (IOException | RuntimeException e) {
            handlers.shutdownNow();
            actions.shutdownNow();
            monitor.shutdownNow();
            jobs.close();
            throw new IOException("the coordinator cannot listen on " + settings.bind() + ":" + settings.port() + ": "
                    + e.getMessage(), e);
        }
        long every = Math.max(1, settings.heartbeatIntervalMillis() / 2);
        monitor.scheduleWithFixedDelay(registry::expire, every, every, TimeUnit.MILLISECONDS);
        Coordinator c = new Coordinator(settings, server, handlers, actions, monitor, registry, jobs, refusedTls, restPort);
        LOG.info("Coordinator listening on {} ({})", c.address(), settings.tls().map(t -> "mutual TLS as "
                + t.subject() + ", the CA in " + t.dir().resolve(TlsDir.CA_CERTIFICATE)).orElse("plain TCP, no TLS"));
        return c;
    }

    /** How many connections were refused because their TLS handshake failed (always 0 without TLS). */
    public long refusedTlsConnections() {
        return refusedTls.get();
    }

    /** Where the coordinator listens (the bound port when it was started on port 0). */
    public InetSocketAddress address() {
        return new InetSocketAddress(settings.bind(), server.getPort());
    }

    public WorkerRegistry registry() {
        return registry;
    }

    /**
     * Tells clients asking for the cluster's status where the REST API serving {@link #monitoring()} listens: its
     * port, on the coordinator's host (the API binds where the coordinator does). Any thread.
     */
    public void announceRestPort(int port) {
        restPort.set(port);
    }

    /** The job table itself: for tests in this package that hold a job at a step no client call can hold it at. */
    Jobs jobs() {
        return jobs;
    }

    /** The jobs, workers and slots for the REST API. */
    public CoordinatorJobs monitoring() {
        return new CoordinatorJobs(jobs, registry);
    }

    /** Waits until the server ends (it ends when closed). */
    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /** Stops serving and ends every thread of this coordinator; waits a bounded time. */
    @Override
    public void close() {
        monitor.shutdownNow();
        jobs.close();
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
        handlers.shutdownNow();
        actions.shutdownNow();
    }

    /** Says what happens to workers, one line each, and tells the job table of lost ones. */
    private static final class WorkersListener implements WorkerRegistry.Listener {
        private volatile Jobs jobs;

        @Override
        public void workerRegistered(String workerId, RegisterRequest request) {
            LOG.info("Worker {} registered: {} slot(s), data port {}, pid {}, {}", workerId, request.slots(),
                    request.dataPort(), request.pid(), request.instanceId().isEmpty()
                            ? "no instance id (an older worker: a second registration of it is not refused)"
                            : "instance " + request.instanceId());
        }

        @Override
        public void workerLost(String workerId, String reason) {
            LOG.warn("Worker {} lost: {}", workerId, reason);
            Jobs j = jobs;
            if (j != null) {
                j.workerGone(workerId, reason);
            }
        }
    }
}
