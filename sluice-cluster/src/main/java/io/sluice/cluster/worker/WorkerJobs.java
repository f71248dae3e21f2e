package io.sluice.cluster.worker;

import io.sluice.cluster.Failures;
import io.sluice.api.execution.JobExecutionException;
import io.sluice.api.execution.JobResult;
import io.sluice.api.execution.SubmitOptions;
import io.sluice.api.graph.JobGraph;
import io.sluice.cluster.protocol.JobMessages.EventKind;
import io.sluice.cluster.protocol.JobMessages.OperatorCount;
import io.sluice.cluster.protocol.JobMessages.WorkerCommand;
import io.sluice.cluster.protocol.JobMessages.WorkerEvent;
import io.sluice.cluster.protocol.TaskMessage;
import io.sluice.runtime.cluster.LocalExecutor;
import io.sluice.runtime.cluster.LocalJob;
import io.sluice.runtime.config.EngineConfig;
import io.sluice.runtime.monitor.JobView;
import io.sluice.runtime.serialization.UserClassObjectInput;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job attempts a worker runs, as its coordinator commands: each deployed attempt runs on the embedded engine
 * ({@link LocalExecutor}) in this process, in a class loader of its own over the job's jars (closed when the attempt
 * ends), and reports running, finished (with its counts) or failed. While it runs, what its embedded supervisor shows
 * (counters, split watermarks, checkpoints, failures: {@link WholeAttemptReport}) goes up once a second
 * ({@link #report()}) and once more, always, just before it is reported finished or failed, so the coordinator keeps
 * its final counts. Cancels and savepoints act on the attempt they name; a command for an attempt this worker does not
 * run is ignored. Thread-safe: commands come on the control stream's thread; each attempt and each savepoint request
 * has a thread of its own; reports come from the reporter's thread and the attempt's.
 */
public final class WorkerJobs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerJobs.class);

    /**
     * One attempt of a job on this worker. It ends in one of two ways before it is done: cancelled (the job's cancel:
     * its checkpoints go as its retention on cancel says) or abandoned (this worker no longer runs it for its
     * coordinator, which resumes the job from its checkpoints elsewhere or later: they are kept).
     */
    private static final class Attempt {
        final String jobId;
        final int attempt;
        volatile LocalJob client;
        volatile boolean cancelled;
        volatile String abandonedFor;
        /** Its reports, in the order they were measured; none after the final one. */
        final AttemptReports reports = new AttemptReports();

        Attempt(String jobId, int attempt) {
            this.jobId = jobId;
            this.attempt = attempt;
        }

        void cancel() {
            cancelled = true;
            stopIfAsked();
        }

        void abandon(String reason) {
            abandonedFor = reason;
            stopIfAsked();
        }

        /** What the attempt shows now, as its report; nothing before the job is submitted. */
        Optional<TaskMessage> measure() {
            return client instanceof JobView view ? Optional.of(WholeAttemptReport.of(jobId, attempt, view))
                    : Optional.empty();
        }

        /** Stops the job if it was asked to stop (an abandonment wins over a cancel: the checkpoints stay). */
        void stopIfAsked() {
            LocalJob c = client;
            if (c == null) {
                return; // asked again once the job is submitted
            }
            String reason = abandonedFor;
            if (reason != null) {
                c.abandon(reason);
            } else if (cancelled) {
                c.cancel();
            }
        }
    }

    private final BlobFetcher jars;
    private final EngineConfig engine;
    private final Map<String, Attempt> running = new ConcurrentHashMap<>();
    private volatile Consumer<WorkerEvent> events;
    /** Sends a report if the stream has room now, else drops it (the next one replaces it anyway). */
    private volatile Consumer<WorkerEvent> measurements = e -> {};
    private volatile String workerId = "";

    WorkerJobs(BlobFetcher jars, EngineConfig engine) {
        this.jars = jars;
        this.engine = engine;
    }

    /**
     * Where events go from now on, the control stream of the worker's current registration: {@code events} every
     * event, in order; {@code measurements} the periodic reports, which may be dropped when the stream has no room.
     */
    void reportTo(String workerId, Consumer<WorkerEvent> events, Consumer<WorkerEvent> measurements) {
        this.workerId = workerId;
        this.events = events;
        this.measurements = measurements;
    }

    /** Offers a report of each attempt running here (the {@link MetricsReporter}'s thread, once a second). */
    void report() {
        for (Attempt a : running.values()) {
            a.reports.periodic(a::measure, m -> measurements.accept(WorkerEvent.tasks(workerId, m)));
        }
    }

    /** Sends the attempt's final report, in order before the event that ends it; a failure to build it is logged. */
    private void reportLast(Attempt attempt) {
        try {
            attempt.reports.last(attempt::measure, m -> send(WorkerEvent.tasks(workerId, m)));
        } catch (RuntimeException e) {
            LOG.warn("Job {} attempt {}: its final report cannot be built", attempt.jobId, attempt.attempt, e);
        }
    }

    /** Acts on one command of the coordinator. */
    void handle(WorkerCommand command) {
        switch (command.kind()) {
            case DEPLOY -> deploy(command);
            case CANCEL -> {
                Attempt a = current(command);
                if (a != null) {
                    LOG.info("Cancelling job {} attempt {}", a.jobId, a.attempt);
                    a.cancel();
                }
            }
            case SAVEPOINT, STOP -> savepoint(command);
        }
    }

    private Attempt current(WorkerCommand command) {
        Attempt a = running.get(command.jobId());
        return a != null && a.attempt == command.attempt() ? a : null;
    }

    private void deploy(WorkerCommand command) {
        Attempt attempt = new Attempt(command.jobId(), command.attempt());
        Attempt old = running.put(command.jobId(), attempt);
        if (old != null) {
            // An older attempt's leftovers: never two attempts of one job here. The new one may restore the
            // checkpoints the old one took, so they stay.
            old.abandon("attempt " + command.attempt() + " replaces it");
        }
        Thread t = new Thread(() -> run(attempt, command), "sluice job " + command.jobId() + " attempt " + command.attempt());
        t.setDaemon(true);
        t.start();
    }

    private void run(Attempt attempt, WorkerCommand command) {
        String id = attempt.jobId;
        List<URL> urls = new ArrayList<>();
        try {
            for (String jar : command.jars()) {
                urls.add(jars.fetch(jar).toUri().toURL());
            }
        } catch (IOException e) {
            report(attempt, EventKind.FAILED, "cannot get the job's jars: " + Failures.oneLine(e));
            running.remove(id, attempt);
            return;
        }
        Thread thread = Thread.currentThread();
        try (URLClassLoader loader = new URLClassLoader("job " + id, urls.toArray(URL[]::new), getClass().getClassLoader())) {
            thread.setContextClassLoader(loader); // the job's threads, started from here, load its classes
            JobGraph graph = (JobGraph) UserClassObjectInput.read(command.graph(), loader);
            SubmitOptions options = SubmitOptions.fresh()
                    .withRestorePath(command.restorePath().isEmpty() ? null : command.restorePath())
                    .withAllowNonRestoredState(command.allowNonRestoredState())
                    .withProgressInterval(Duration.ofMillis(command.progressIntervalMillis()));
            LocalJob client = new LocalExecutor(engine).submit(graph, options);
            attempt.client = client;
            attempt.stopIfAsked();
            report(attempt, EventKind.RUNNING, "");
            JobResult result = client.await();
            reportLast(attempt);
            send(new WorkerEvent(EventKind.FINISHED, workerId, id, attempt.attempt, 0, "", result.duration().toMillis(),
                    result.operators().stream().map(o -> new OperatorCount(o.nodeId(), o.name(), o.recordsIn(),
                            o.recordsOut())).toList()));
        } catch (JobExecutionException e) {
            // The engine names the operator and subtask; the worker adds where they ran.
            reportLast(attempt);
            report(attempt, EventKind.FAILED, Failures.oneLine(e) + " [on " + workerId + "]");
        } catch (InterruptedException e) {
            report(attempt, EventKind.FAILED, "the worker stopped");
        } catch (Exception | LinkageError e) {
            LOG.warn("Job {} attempt {} cannot run", id, attempt.attempt, e);
            report(attempt, EventKind.FAILED, "cannot run on " + workerId + ": " + Failures.oneLine(e));
        } finally {
            thread.setContextClassLoader(getClass().getClassLoader());
            running.remove(id, attempt);
        }
    }

    private void savepoint(WorkerCommand command) {
        Attempt a = current(command);
        boolean stop = command.kind() == io.sluice.cluster.protocol.JobMessages.CommandKind.STOP;
        Thread t = new Thread(() -> {
            LocalJob client = a == null ? null : a.client;
            if (client == null) {
                send(WorkerEvent.of(EventKind.SAVEPOINT_FAILED, workerId, command.jobId(), command.attempt(),
                        command.requestId(), "attempt " + command.attempt() + " is not running on " + workerId));
                return;
            }
            try {
                String path = stop ? client.stopWithSavepoint(command.directory()) : client.triggerSavepoint(command.directory());
                send(WorkerEvent.of(EventKind.SAVEPOINT_DONE, workerId, command.jobId(), command.attempt(),
                        command.requestId(), path));
            } catch (Exception e) {
                send(WorkerEvent.of(EventKind.SAVEPOINT_FAILED, workerId, command.jobId(), command.attempt(),
                        command.requestId(), Failures.oneLine(e)));
            }
        }, "sluice job " + command.jobId() + ": savepoint");
        t.setDaemon(true);
        t.start();
    }

    private void report(Attempt attempt, EventKind kind, String text) {
        send(WorkerEvent.of(kind, workerId, attempt.jobId, attempt.attempt, 0, text));
    }

    private void send(WorkerEvent event) {
        Consumer<WorkerEvent> out = events;
        if (out != null) {
            out.accept(event);
        }
    }

    /**
     * Stops every attempt on this worker, keeping their checkpoints: its coordinator is gone, or no longer counts on
     * it, and the jobs go on from those checkpoints (restarted elsewhere, or resumed with a new coordinator).
     */
    void abandonAll(String reason) {
        for (Attempt a : running.values()) {
            LOG.warn("Stopping job {} attempt {} (its checkpoints are kept): {}", a.jobId, a.attempt, reason);
            a.abandon(reason);
        }
    }

    /** The number of attempts running here. */
    int runningCount() {
        return running.size();
    }

    @Override
    public void close() {
        abandonAll("the worker stops");
    }
}
