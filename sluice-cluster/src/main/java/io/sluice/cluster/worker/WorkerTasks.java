package io.sluice.cluster.worker;

import io.sluice.cluster.Failures;
import io.sluice.cluster.protocol.JobMessages.WorkerEvent;
import io.sluice.cluster.protocol.TaskMessage;
import io.sluice.cluster.protocol.TaskMessage.Kind;
import io.sluice.runtime.config.EngineConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shares of spread job attempts this worker hosts ({@link HostedAttempt}), one per job: a deployment of a newer
 * attempt replaces the older one (closed first). Messages come on the control stream's thread; a deployment is built
 * on a thread of its own, so the stream keeps flowing. Thread-safe.
 */
final class WorkerTasks implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerTasks.class);

    private final BlobFetcher jars;
    private final WorkerDataPlane data;
    private final EngineConfig engine;
    /** The worker's memory limit, or {@code null} for none. */
    private final WorkerMemory memory;
    private final Map<String, HostedAttempt> attempts = new ConcurrentHashMap<>();
    private volatile Consumer<WorkerEvent> events = e -> {};
    /** Sends a measurement if the stream has room now, else drops it (the next one replaces it anyway). */
    private volatile Consumer<WorkerEvent> measurements = e -> {};
    private volatile String workerId = "";

    WorkerTasks(BlobFetcher jars, WorkerDataPlane data, EngineConfig engine, WorkerMemory memory) {
        this.jars = jars;
        this.data = data;
        this.engine = engine;
        this.memory = memory;
    }

    /**
     * Where this worker's messages go: {@code events} every message, in order; {@code measurements} the periodic
     * measurements, which may be dropped when the stream has no room (nothing queues up behind a slow coordinator).
     */
    void reportTo(String workerId, Consumer<WorkerEvent> events, Consumer<WorkerEvent> measurements) {
        this.workerId = workerId;
        this.events = events;
        this.measurements = measurements;
    }

    /** Offers one measurement of each running share (the {@link MetricsReporter}'s thread, once a second). */
    void report() {
        for (HostedAttempt a : attempts.values()) {
            a.report(m -> measurements.accept(WorkerEvent.tasks(workerId, m)));
        }
    }

    void handle(TaskMessage m) {
        if (m.kind() == Kind.DEPLOY) {
            deploy(m);
            return;
        }
        HostedAttempt a = attempts.get(m.job());
        if (a == null || a.attempt != m.attempt()) {
            LOG.debug("{} for job {} attempt {}, which does not run here: ignored", m.kind(), m.job(), m.attempt());
            return;
        }
        a.handle(m);
        if (m.kind() == Kind.RUN_FINAL_ACTIONS) {
            attempts.remove(m.job(), a);
        }
    }

    private void deploy(TaskMessage m) {
        if (data == null) {
            send(TaskMessage.of(Kind.DEPLOYED, m.job(), m.attempt(), -1, -1, 0, "worker " + workerId
                    + " has no data server", 0));
            return;
        }
        HostedAttempt attempt = new HostedAttempt(m.job(), m.attempt(), data, this::send, done -> {
            if (attempts.remove(done.job, done)) {
                done.close(); // on its awaiting thread: its tasks have ended
            }
        });
        HostedAttempt old = attempts.put(m.job(), attempt);
        Thread t = new Thread(() -> {
            if (old != null) {
                try {
                    old.close(); // never two attempts of one job here; its channels go before the new ones register
                } catch (RuntimeException e) {
                    LOG.warn("Job {}: closing its attempt {} failed", old.job, old.attempt, e);
                }
            }
            List<Path> paths = new ArrayList<>();
            byte[] graph;
            List<byte[]> specs = new ArrayList<>();
            try {
                for (String hash : m.entries(TaskMessage.JAR)) {
                    paths.add(jars.fetch(hash));
                }
                graph = java.nio.file.Files.readAllBytes(jars.fetch(m.entries(TaskMessage.GRAPH).getFirst()));
                for (String hash : m.entries(TaskMessage.SPEC)) {
                    specs.add(java.nio.file.Files.readAllBytes(jars.fetch(hash)));
                }
            } catch (IOException | java.util.NoSuchElementException e) {
                send(TaskMessage.of(Kind.DEPLOYED, m.job(), m.attempt(), -1, -1, 0, "cannot get the job's jars, graph "
                        + "or task specs: " + (e instanceof IOException ? Failures.oneLine(e) : "the deployment names no graph"), 0));
                attempts.remove(m.job(), attempt);
                return;
            }
            attempt.deploy(m, paths, graph, specs, engine, memory);
        }, "sluice " + m.job() + " attempt " + m.attempt() + ": deploy");
        t.setDaemon(true);
        t.start();
    }

    private void send(TaskMessage m) {
        events.accept(WorkerEvent.tasks(workerId, m));
    }

    /** Cancels every share here (the coordinator is gone, or no longer counts on this worker) and frees them. */
    void cancelAll(String reason) {
        for (HostedAttempt a : attempts.values()) {
            // Its checkpoints are the coordinator's: a worker never deletes them.
            LOG.warn("Stopping job {} attempt {} (its checkpoints are kept): {}", a.job, a.attempt, reason);
            a.cancel();
        }
    }

    int runningCount() {
        return attempts.size();
    }

    @Override
    public void close() {
        for (HostedAttempt a : attempts.values()) {
            a.close();
        }
        attempts.clear();
    }
}
