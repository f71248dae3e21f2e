package io.sluice.cluster.coordinator;

import io.sluice.cluster.Failures;
import io.sluice.api.execution.JobClient;
import io.sluice.api.execution.JobExecutionException;
import io.sluice.api.execution.JobResult;
import io.sluice.api.execution.SubmitOptions;
import io.sluice.api.graph.JobGraph;
import io.sluice.cluster.blob.BlobStore;
import io.sluice.cluster.protocol.ControlMessages.WorkerStatus;
import io.sluice.cluster.protocol.JobMessages.WorkerCommand;
import io.sluice.cluster.protocol.TaskMessage;
import io.sluice.runtime.cluster.DeployingExecutor;
import io.sluice.runtime.serialization.UserClassObjectInput;
import java.io.IOException;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs whose tasks are spread over workers: each runs under a supervisor on the coordinator (its plan,
 * checkpoint coordinator, source enumerators and restarts, as on the embedded cluster) whose attempts a
 * {@link RemoteDeployment} places on the workers' slots. Workers' task messages are routed to the job's current
 * attempt; a lost worker fails the attempts it took part in, and the supervisor restarts them from the latest
 * completed checkpoint on the workers that remain. Each attempt reserves its slots on the workers with the most free
 * ones, waiting up to the slot wait for enough. Thread-safe.
 */
final class SpreadJobs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SpreadJobs.class);

    private final Jobs table;
    private final long slotWaitMillis;
    private final SlotTable slots;
    private final WorkerRegistry registry;
    private final WorkerSessions sessions;
    private final BlobStore blobs;
    private final LongSupplier clockMillis;

    /** The spread jobs of {@code table}, their attempts in {@code slots} of the workers in {@code registry}. */
    SpreadJobs(Jobs table, long slotWaitMillis, SlotTable slots, WorkerRegistry registry, WorkerSessions sessions,
            BlobStore blobs, LongSupplier clockMillis) {
        this.table = table;
        this.slotWaitMillis = slotWaitMillis;
        this.slots = slots;
        this.registry = registry;
        this.sessions = sessions;
        this.blobs = blobs;
        this.clockMillis = clockMillis;
    }

    /**
     * Starts the job's supervisor with its first attempt (on the calling thread, the job's main); a watcher thread
     * ends the job in the table when the supervisor does.
     */
    void start(ClusterJob job, SubmitOptions options) throws JobExecutionException {
        JobGraph graph;
        try {
            // The coordinator's own copy, from the bytes its workers get: what runs is exactly what was shipped.
            graph = (JobGraph) UserClassObjectInput.read(job.graphBytes, Thread.currentThread().getContextClassLoader());
        } catch (IOException | ClassNotFoundException e) {
            table.supervisorEnded(job, null, e);
            throw new JobExecutionException("Job " + job.id + " cannot start: " + Failures.oneLine(e), e);
        }
        String root = graph.checkpointing() == null ? null : graph.checkpointing().directory();
        RemoteDeployment deployment = new RemoteDeployment(job.id, job.graphBytes, job.jars, root, slots(),
                (id, attempt) -> table.attemptDeploying(job, attempt), reason -> table.attemptFailed(job, reason));
        JobClient supervisor;
        try {
            supervisor = new DeployingExecutor(deployment).submit(graph, options);
        } catch (JobExecutionException e) {
            table.supervisorEnded(job, null, e);
            throw e;
        }
        if (table.supervisorStarted(job, supervisor)) {
            supervisor.cancel(); // cancelled once its first attempt was deployed, before the supervisor existed
        }
        Thread watcher = new Thread(() -> {
            try {
                JobResult result = supervisor.await();
                keepView(job, supervisor);
                table.supervisorEnded(job, result, null);
            } catch (JobExecutionException e) {
                keepView(job, supervisor);
                table.supervisorEnded(job, null, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sluice coordinator: " + job.id + " watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** Keeps what the ended job showed (outside the table's lock: it asks the supervisor). */
    private static void keepView(ClusterJob job, JobClient supervisor) {
        if (supervisor instanceof io.sluice.runtime.monitor.JobView view) {
            try {
                job.ended = EndedJobView.of(view);
            } catch (RuntimeException e) {
                LOG.warn("Job {}: what it showed as it ended cannot be kept", job.id, e);
            }
        }
    }

    private RemoteDeployment.Slots slots() {
        return new RemoteDeployment.Slots() {
            @Override
            public List<String> reserve(String job, int count) throws IOException, InterruptedException {
                return reserveSlots(job, count);
            }

            @Override
            public void release(String job) {
                slots.release(job);
            }

            @Override
            public String dataAddress(String worker) {
                return registry.status().stream().filter(w -> w.workerId().equals(worker)).findFirst()
                        .map(w -> w.host() + ":" + w.dataPort())
                        .orElseThrow(() -> new IllegalStateException("worker " + worker + " is not live"));
            }

            @Override
            public boolean send(String worker, TaskMessage message) {
                return sessions.send(worker, WorkerCommand.tasks(message));
            }

            @Override
            public String putBlob(byte[] bytes) throws IOException {
                return blobs.put(bytes);
            }
        };
    }

    /**
     * Reserves {@code count} slots for {@code job}'s next attempt on attached workers with free ones (the most free
     * first), waiting up to the slot wait for enough; the worker of each slot, in slot order. Only a cancel ends the
     * wait early: a stop with a savepoint that runs meanwhile does not (it cannot be taken between attempts, and a
     * refused stop leaves the job restarting).
     */
    private List<String> reserveSlots(String job, int count) throws IOException, InterruptedException {
        long deadline = clockMillis.getAsLong() + slotWaitMillis;
        while (true) {
            List<WorkerStatus> attached = table.attachedWorkers();
            if (table.cancelled(job)) {
                throw new IOException("it was cancelled while waiting for " + count + " free slot(s)");
            }
            List<String> chosen = slots.reserve(job, count, attached);
            if (chosen != null) {
                return chosen;
            }
            if (clockMillis.getAsLong() > deadline) {
                throw new IOException("needs " + count + " free slot(s) on the cluster; waited " + slotWaitMillis
                        + " ms, " + slots.free(attached) + " were free");
            }
            Thread.sleep(100);
        }
    }

    /** A worker's message about a spread job's tasks: to that job's current attempt, if it is the one meant. */
    void onMessage(String worker, TaskMessage m) {
        ClusterJob job = table.job(m.job());
        RemoteAttempt attempt = job == null ? null : job.remote;
        if (attempt == null || attempt.attemptNumber() != m.attempt()) {
            LOG.debug("{} of job {} attempt {} from {} is not for a current attempt: dropped", m.kind(), m.job(),
                    m.attempt(), worker);
            return;
        }
        try {
            attempt.onMessage(worker, m);
        } catch (RuntimeException e) {
            LOG.warn("Job {}: a {} message of {} could not be handled", m.job(), m.kind(), worker, e);
        }
    }

    /** A worker was lost: every spread attempt it took part in fails. */
    void workerLost(String worker, String reason) {
        for (ClusterJob job : table.spreadJobs()) {
            RemoteAttempt attempt = job.remote;
            if (attempt != null) {
                attempt.workerLost(worker, reason);
            }
        }
    }

    /**
     * The coordinator stops: each running job's supervisor stops its attempt but keeps its checkpoints (the job is
     * resumed with {@code --from-checkpoint latest}), as workers do when they lose their coordinator.
     */
    @Override
    public void close() {
        for (ClusterJob job : table.spreadJobs()) {
            JobClient s = job.supervisor;
            if (s instanceof io.sluice.runtime.cluster.LocalJob local) {
                local.abandon("the coordinator stops");
            } else if (s != null) {
                s.cancel();
            }
        }
    }
}
