package io.sluice.cluster.coordinator;

import io.sluice.api.execution.JobExecutionException;
import io.sluice.cluster.Failures;
import io.sluice.cluster.protocol.JobMessages.CommandKind;
import io.sluice.cluster.protocol.JobMessages.WorkerCommand;
import io.sluice.cluster.protocol.JobMessages.WorkerEvent;
import io.sluice.cluster.protocol.TaskMessage;
import io.sluice.cluster.protocol.TaskMetrics;
import io.sluice.runtime.recovery.RestartDecision;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs run whole on one worker each ({@code --placement job}) once their main submitted them: each attempt is
 * placed by a {@link WholePlacer} and runs on its worker's embedded engine, whose supervisor handles task failures
 * with the job's restart strategy. Here an attempt is followed through its worker's events (running, finished,
 * failed) and reports (kept by the job's {@link ReportedJobView} while that worker runs the job's current attempt),
 * steered by commands (cancel, savepoint, stop with a savepoint, answered through {@link SavepointRequests}), and
 * restarted when its worker is lost, as the job's restart strategy decides, after its delay, from its latest completed
 * checkpoint, on the workers that remain.
 *
 * <p>Thread-safe: every transition runs under the job table's lock, so each worker receives its commands in the order
 * they were decided. The table calls in holding it; what starts here (a report, a savepoint request, a delayed restart
 * on the table's scheduler) takes it (the table's monitor, reentrant).
 */
final class WholeJobs {
    private static final Logger LOG = LoggerFactory.getLogger(WholeJobs.class);
    /** How long a savepoint may take before the client is told it did not complete. */
    static final long SAVEPOINT_TIMEOUT_MILLIS = 10 * 60_000;

    private final Jobs table;
    private final WholePlacer placer;
    private final WorkerSessions sessions;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier clockMillis;
    private final SavepointRequests savepoints = new SavepointRequests();

    /** Whole jobs of {@code table}, restarted on its {@code scheduler} (owned by the table). */
    WholeJobs(Jobs table, WholePlacer placer, WorkerSessions sessions, ScheduledExecutorService scheduler,
            LongSupplier clockMillis) {
        this.table = table;
        this.placer = placer;
        this.sessions = sessions;
        this.scheduler = scheduler;
        this.clockMillis = clockMillis;
    }

    /** Deploys a waiting job's next attempt where it fits, or fails it once it waited too long. Under the table's lock. */
    void place(ClusterJob job) {
        placer.place(job);
    }

    /** Places every waiting job that fits; fails those that waited too long. The table's scheduler, periodically. */
    void placeWaiting() {
        try {
            synchronized (table) {
                for (ClusterJob job : table.all()) {
                    if (job.state == ClusterJob.State.WAITING) {
                        placer.place(job);
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.error("Placing waiting jobs failed", e); // the next round tries again
        }
    }

    /**
     * A worker's report of a job attempt it runs whole: kept by the job's view when it is of the job's current attempt
     * on that worker while it runs (a late report of an attempt that ended or moved on is dropped).
     */
    void reported(String workerId, TaskMessage m) {
        if (m.kind() != TaskMessage.Kind.METRICS) {
            LOG.warn("{} sent a {} message of job {}, which runs whole on a worker (only {} is expected); ignored",
                    workerId, m.kind(), m.job(), TaskMessage.Kind.METRICS);
            return;
        }
        TaskMetrics measured;
        try {
            measured = TaskMetrics.of(m); // decoded outside the lock
        } catch (IOException e) {
            LOG.warn("{} sent a malformed report of job {} attempt {}: {}; ignored", workerId, m.job(), m.attempt(),
                    e.getMessage());
            return;
        }
        synchronized (table) {
            ClusterJob job = table.job(m.job());
            if (job != null && job.reported != null && job.attempt == m.attempt() && job.worker.equals(workerId)
                    && job.state == ClusterJob.State.RUNNING) {
                job.reported.report(workerId, m.attempt(), measured);
            }
        }
    }

    /**
     * Worker {@code workerId}'s answer to a savepoint request: its path, or why it failed; taken only from the worker
     * asked, about the job and attempt asked ({@link SavepointRequests#answer}). Under the table's lock.
     */
    void savepointAnswered(String workerId, WorkerEvent event) {
        savepoints.answer(workerId, event);
    }

    /**
     * An attempt's {@code RUNNING}, {@code FINISHED} or {@code FAILED} from {@code workerId}: counts only for a job run
     * whole, in its current attempt, on that worker ({@code job} {@code null}: no such job). Any other is ignored with
     * one log line saying why: a spread job's (only its supervisor ends it, whatever a worker says) as a warning, a
     * late one of an attempt that ended or moved on as information. Under the table's lock.
     */
    void attemptEvent(ClusterJob job, String workerId, WorkerEvent event) {
        if (job != null && !job.whole) {
            LOG.warn("{} reports {} of job {} attempt {} as a job run whole on it, but that job's tasks are spread over "
                    + "the workers' slots (only its supervisor here ends it): ignored", workerId, event.kind(), job.id,
                    event.attempt());
            return;
        }
        String stale = job == null ? "there is no such job" : staleness(job, workerId, event.attempt());
        if (stale != null) {
            LOG.info("{} reports {} of job {} attempt {}, which is not current ({}): ignored", workerId, event.kind(),
                    event.jobId(), event.attempt(), stale);
            return;
        }
        switch (event.kind()) {
            case RUNNING -> LOG.info("Job {} attempt {} runs on {}", job.id, job.attempt, workerId);
            case FINISHED -> {
                job.durationMillis = event.durationMillis();
                job.operators = event.operators();
                table.end(job, ClusterJob.State.FINISHED, ""); // also a stop with a savepoint
            }
            case FAILED -> table.end(job, job.cancelRequested ? ClusterJob.State.CANCELLED : ClusterJob.State.FAILED,
                    event.text());
            default -> throw new IllegalStateException("not an attempt's event: " + event.kind());
        }
    }

    /** Why attempt {@code attempt} on {@code workerId} is not {@code job}'s running one; {@code null} if it is. */
    private static String staleness(ClusterJob job, String workerId, int attempt) {
        if (job.state != ClusterJob.State.RUNNING) {
            return "the job is " + job.state;
        }
        if (!job.worker.equals(workerId)) {
            return "the job runs on " + job.worker;
        }
        return job.attempt == attempt ? null : "the job runs attempt " + job.attempt;
    }

    /**
     * Worker {@code workerId} was lost: the attempts of {@code jobs} running on it failed; each job restarts as its
     * restart strategy says (placed again after the delay), or ends. Under the table's lock.
     */
    void workerLost(String workerId, String reason, List<ClusterJob> jobs) {
        for (ClusterJob job : jobs) {
            if (job.state != ClusterJob.State.RUNNING || !job.worker.equals(workerId)) {
                continue;
            }
            job.worker = "";
            job.state = ClusterJob.State.RESTARTING;
            String failure = "worker " + workerId + " was lost (" + reason + ")";
            savepoints.failAll(job.id, failure);
            job.reported.attemptFailed(workerId, failure);
            if (job.cancelRequested) {
                table.end(job, ClusterJob.State.CANCELLED, "");
                continue;
            }
            RestartDecision decision = job.decider.onFailure();
            if (decision instanceof RestartDecision.GiveUp giveUp) {
                table.end(job, ClusterJob.State.FAILED, failure + " (not restarted: " + giveUp.reason() + ")");
                continue;
            }
            long delay = ((RestartDecision.Restart) decision).delay().toMillis();
            job.attemptRestarts++;
            job.failure = failure;
            LOG.warn("Job {} {}: {}; restart {} in {} ms from its latest completed checkpoint", job.id, job.name(),
                    failure, job.attemptRestarts, delay);
            scheduler.schedule(() -> {
                synchronized (table) {
                    if (job.state == ClusterJob.State.RESTARTING) {
                        job.state = ClusterJob.State.WAITING;
                        job.waitingSinceMillis = clockMillis.getAsLong();
                        placer.place(job);
                    }
                }
            }, delay, TimeUnit.MILLISECONDS);
        }
    }

    /** Cancels a job not ended yet: its running attempt is told to stop, else it ends at once. Under the table's lock. */
    void cancel(ClusterJob job) {
        if (job.state == ClusterJob.State.RUNNING) {
            if (!sessions.send(job.worker, WorkerCommand.about(CommandKind.CANCEL, job.id, job.attempt, 0, ""))) {
                table.end(job, ClusterJob.State.CANCELLED, "");
            }
        } else {
            table.end(job, ClusterJob.State.CANCELLED, "");
        }
    }

    /**
     * Has the worker running job {@code jobId}'s attempt take a savepoint into {@code directory} (and then stop, with
     * {@code stop}); waits for its path, at most {@value #SAVEPOINT_TIMEOUT_MILLIS} ms. The caller's thread, not
     * holding the table's lock.
     */
    String savepoint(String jobId, String directory, boolean stop) throws JobExecutionException, InterruptedException {
        CompletableFuture<String> done;
        synchronized (table) {
            ClusterJob job = table.existing(jobId);
            if (job.state != ClusterJob.State.RUNNING) {
                throw new JobExecutionException("Job " + jobId + " is " + job.state + ", not running: no savepoint", null);
            }
            var opened = savepoints.open(jobId, job.attempt, job.worker);
            long request = opened.getKey();
            done = opened.getValue();
            if (stop) {
                job.cancelRequested = true; // it ends with the savepoint: no restart
            }
            if (!sessions.send(job.worker, WorkerCommand.about(stop ? CommandKind.STOP : CommandKind.SAVEPOINT, jobId,
                    job.attempt, request, directory))) {
                savepoints.cancel(request);
                throw new JobExecutionException("Job " + jobId + ": its worker " + job.worker + " cannot be reached", null);
            }
        }
        try {
            return done.get(SAVEPOINT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            table.stopFailed(jobId, stop);
            throw new JobExecutionException("Job " + jobId + ": savepoint into " + directory + " failed: "
                    + Failures.oneLine(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            table.stopFailed(jobId, stop);
            throw new JobExecutionException("Job " + jobId + ": savepoint into " + directory + " did not complete within "
                    + SAVEPOINT_TIMEOUT_MILLIS + " ms", e);
        }
    }

    /**
     * {@code job} ends as {@code state}: its running attempt's slots are free, its savepoint requests fail, its
     * reported view keeps its final counts. Nothing for a job not run whole. Under the table's lock, before the job's
     * state changes.
     */
    void ending(ClusterJob job, ClusterJob.State state) {
        placer.release(job);
        savepoints.failAll(job.id, "the job ended (" + state + ")");
        if (job.reported != null) {
            job.reported.ended();
        }
    }
}
