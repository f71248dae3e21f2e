package io.sluice.cluster.worker;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.sluice.cluster.protocol.ControlChannels;
import io.sluice.cluster.protocol.ControlMessages.Heartbeat;
import io.sluice.cluster.protocol.ControlMessages.HeartbeatReply;
import io.sluice.cluster.protocol.ControlMessages.RegisterReply;
import io.sluice.cluster.protocol.ControlMessages.RegisterRequest;
import io.sluice.cluster.protocol.ControlProtocol;
import io.sluice.cluster.protocol.WorkerGauges;
import io.sluice.network.ClusterToken;
import io.sluice.network.tls.TlsDir;
import io.sluice.cluster.blob.BlobStore;
import io.sluice.network.NetworkConfig;
import io.sluice.runtime.config.EngineConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker process's membership in a cluster: registers with the coordinator (its slots and data port), then beats
 * every heartbeat interval on its own thread. When the coordinator no longer knows it (it was declared dead) it
 * registers again, as a new worker (under the same instance id, {@link RegisterRequest#instanceId()}: the coordinator
 * refuses a registration of an instance whose earlier one it still counts live). Each heartbeat carries the worker's
 * own gauges ({@link WorkerGauges}: memory, GC, network buffers, RocksDB), so the coordinator shows them for every
 * worker, idle or not. When the coordinator
 * has not answered for longer than the heartbeat timeout it cancels its jobs and calls {@code onCoordinatorLost}
 * once: a worker must not keep running tasks nobody coordinates.
 * Each registration holds a control stream ({@link ControlStream}) on which the coordinator deploys and commands job
 * attempts ({@link WorkerJobs}); when it breaks, those attempts are cancelled.
 */
public final class Worker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

    private final ManagedChannel channel;
    private final CallOptions options;
    private final RegisterRequest registration;
    private final ScheduledExecutorService beats;
    private final Runnable onCoordinatorLost;
    private final WorkerJobs jobs;
    private final WorkerTasks tasks;
    /** Measures this process for each heartbeat. */
    private final WorkerProbe probe;
    /** Sends the running attempts' measurements once a second. */
    private final MetricsReporter reporter;
    private volatile ControlStream stream;
    private volatile String workerId;
    private volatile long timeoutMillis;
    private volatile long lastAnsweredNanos = System.nanoTime();
    private volatile boolean lost;

    private Worker(ManagedChannel channel, CallOptions options, RegisterRequest registration, Runnable onCoordinatorLost,
            BlobStore jars, WorkerDataPlane data, WorkerMemory memory) {
        this.channel = channel;
        BlobFetcher fetcher = new BlobFetcher(channel, options, jars);
        // whole attempts and shares of spread ones alike: a job holds as much in flight whatever its placement
        EngineConfig engine = WorkerDataPlane.engineConfig(data != null ? data.config() : NetworkConfig.defaults());
        this.jobs = new WorkerJobs(fetcher, engine);
        this.tasks = new WorkerTasks(fetcher, data, engine, memory);
        this.probe = new WorkerProbe(data);
        this.reporter = new MetricsReporter(java.util.List.of(tasks::report, jobs::report));
        this.options = options;
        this.registration = registration;
        this.onCoordinatorLost = onCoordinatorLost;
        this.beats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice worker: heartbeats");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Registers with the coordinator at {@code host:port} (over mutual TLS with {@code tls}, if present) and starts
     * beating; fails, with nothing left running, if the coordinator cannot be reached or refuses (a wrong token, a
     * certificate it does not trust, an instance id registered already: {@code ALREADY_EXISTS}).
     */
    public static Worker join(String host, int port, ClusterToken token, Optional<TlsDir> tls,
            RegisterRequest registration, Path workDir, Runnable onCoordinatorLost) throws IOException {
        return join(host, port, token, tls, registration, workDir, null, onCoordinatorLost);
    }

    /**
     * Joins with a data server, so that the tasks of jobs spread over workers can run here ({@code data} may be
     * {@code null}: then only whole job attempts run here).
     */
    public static Worker join(String host, int port, ClusterToken token, Optional<TlsDir> tls,
            RegisterRequest registration, Path workDir, WorkerDataPlane data, Runnable onCoordinatorLost)
            throws IOException {
        return join(host, port, token, tls, registration, workDir, data, null, onCoordinatorLost);
    }

    /**
     * Joins with a data server and a memory limit ({@code memory}, or {@code null} for none): the RocksDB state of the
     * tasks deployed here shares each slot's part of the managed memory.
     */
    public static Worker join(String host, int port, ClusterToken token, Optional<TlsDir> tls,
            RegisterRequest registration, Path workDir, WorkerDataPlane data, WorkerMemory memory,
            Runnable onCoordinatorLost) throws IOException {
        Worker worker = new Worker(ControlChannels.open(host, port, tls), ControlChannels.authenticated(token),
                registration, onCoordinatorLost, new BlobStore(workDir.resolve("blobs")), data, memory);
        try {
            worker.register();
        } catch (StatusRuntimeException e) {
            worker.close();
            throw new IOException("cannot register with the coordinator at " + host + ":" + port + ": "
                    + ControlChannels.describe(e), e);
        }
        return worker;
    }

    private void register() {
        RegisterReply reply = ClientCalls.blockingUnaryCall(channel, ControlProtocol.REGISTER, callOptions(), registration);
        workerId = reply.workerId();
        timeoutMillis = reply.heartbeatTimeoutMillis();
        lastAnsweredNanos = System.nanoTime();
        attach();
        beats.scheduleWithFixedDelay(this::beat, reply.heartbeatIntervalMillis(), reply.heartbeatIntervalMillis(),
                TimeUnit.MILLISECONDS);
        LOG.info("Registered as {} (instance {})", workerId, registration.instanceId());
    }

    private CallOptions callOptions() {
        return ControlChannels.call(options);
    }

    private void beat() {
        if (lost) {
            return;
        }
        try {
            HeartbeatReply reply = ClientCalls.blockingUnaryCall(channel, ControlProtocol.BEAT, callOptions(),
                    new Heartbeat(workerId, gauges()));
            lastAnsweredNanos = System.nanoTime();
            if (!reply.known()) {
                registerAgain();
            }
        } catch (StatusRuntimeException e) {
            long silentMillis = (System.nanoTime() - lastAnsweredNanos) / 1_000_000;
            if (silentMillis > timeoutMillis) {
                lost = true;
                LOG.error("The coordinator has not answered for {} ms ({}): stopping", silentMillis, e.getStatus().getCode());
                jobs.abandonAll("the coordinator is gone");
                tasks.cancelAll("the coordinator is gone");
                onCoordinatorLost.run();
            }
        }
    }

    /**
     * Registers again after the coordinator declared this worker lost. A refusal is logged and tried again at the next
     * heartbeat: {@code ALREADY_EXISTS} means the coordinator counts an earlier registration of this instance live (one
     * whose answer never arrived), which it declares lost once its heartbeat timeout passes without a beat.
     */
    private void registerAgain() {
        LOG.warn("The coordinator no longer knows {}: registering again", workerId);
        RegisterReply again;
        try {
            again = ClientCalls.blockingUnaryCall(channel, ControlProtocol.REGISTER, callOptions(), registration);
        } catch (StatusRuntimeException e) {
            LOG.warn("Registering again as instance {} was refused: {}; trying again at the next heartbeat",
                    registration.instanceId(), ControlChannels.describe(e));
            return;
        }
        workerId = again.workerId();
        LOG.info("Registered again as {} (instance {})", workerId, registration.instanceId());
        attach();
    }

    /** This worker's gauges now, for a heartbeat; none when measuring failed (the heartbeat goes anyway). */
    private WorkerGauges gauges() {
        try {
            return probe.measure();
        } catch (RuntimeException e) {
            LOG.debug("Measuring this worker failed; the heartbeat carries no gauges", e);
            return WorkerGauges.NONE;
        }
    }

    /**
     * Opens the control stream of the current registration. Whatever ran under an earlier one is cancelled first: the
     * coordinator declared that worker lost and restarts its jobs elsewhere.
     */
    private void attach() {
        ControlStream old = stream;
        if (old != null) {
            old.close();
        }
        jobs.abandonAll("this worker registered again as " + workerId);
        tasks.cancelAll("this worker registered again as " + workerId);
        ControlStream s = ControlStream.open(channel, options, workerId, command -> {
            if (command.task() != null) {
                tasks.handle(command.task());
            } else {
                jobs.handle(command);
            }
        }, () -> {
            jobs.abandonAll("the control stream broke");
            tasks.cancelAll("the control stream broke");
        });
        jobs.reportTo(workerId, s::send, s::offer);
        tasks.reportTo(workerId, s::send, s::offer);
        stream = s;
    }

    /** The number of job attempts running on this worker. */
    public int runningJobs() {
        return jobs.runningCount() + tasks.runningCount();
    }

    /** The id the coordinator gave this worker (changes when it registers again). */
    public String workerId() {
        return workerId;
    }

    @Override
    public void close() {
        beats.shutdownNow();
        reporter.close();
        jobs.close();
        tasks.close();
        ControlStream s = stream;
        if (s != null) {
            s.close();
        }
        ControlChannels.close(channel);
    }
}
