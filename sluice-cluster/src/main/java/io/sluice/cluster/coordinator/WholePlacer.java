package io.sluice.cluster.coordinator;

import io.sluice.cluster.Failures;
import io.sluice.cluster.protocol.ControlMessages.WorkerStatus;
import io.sluice.cluster.protocol.JobMessages.CommandKind;
import io.sluice.cluster.protocol.JobMessages.WorkerCommand;
import java.io.IOException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Places the attempts of jobs run whole on one worker ({@code --placement job}): an attempt goes to the attached worker
 * with the most free slots among those with at least the job's slots (its largest parallelism: slot sharing, as Flink),
 * restoring the job's newest own completed checkpoint ({@link ClusterJob#restorePath()}), with one {@code DEPLOY}
 * command. A job no worker has room for stays waiting (the table tries again) and fails once it waited longer than the
 * slot wait. Called under the job table's lock, so each worker receives its commands in the order they were decided;
 * uses the table's slots and the workers' sessions, and ends jobs and drops unreachable workers through the table.
 */
final class WholePlacer {
    private static final Logger LOG = LoggerFactory.getLogger(WholePlacer.class);

    private final Jobs table;
    private final long slotWaitMillis;
    private final SlotTable slots;
    private final WorkerSessions sessions;
    private final LongSupplier clockMillis;

    WholePlacer(Jobs table, long slotWaitMillis, SlotTable slots, WorkerSessions sessions, LongSupplier clockMillis) {
        this.table = table;
        this.slotWaitMillis = slotWaitMillis;
        this.slots = slots;
        this.sessions = sessions;
        this.clockMillis = clockMillis;
    }

    /**
     * Deploys the next attempt of {@code job} (waiting: {@link ClusterJob.State#WAITING}) on the live worker with the
     * most free slots, if one has enough; else it waits on, or fails when it waited too long. Under the table's lock.
     */
    void place(ClusterJob job) {
        String best = null;
        int bestFree = -1;
        int largestFree = 0;
        for (WorkerStatus w : table.attachedWorkers()) {
            int free = slots.free(w);
            largestFree = Math.max(largestFree, free);
            if (free >= job.slots && free > bestFree) {
                best = w.workerId();
                bestFree = free;
            }
        }
        if (best == null) {
            long waited = clockMillis.getAsLong() - job.waitingSinceMillis;
            if (waited > slotWaitMillis) {
                table.end(job, ClusterJob.State.FAILED, "needs " + job.slots + " free slot(s) on one worker (its largest "
                        + "parallelism); waited " + waited + " ms, the most free on any worker was " + largestFree);
            }
            return;
        }
        String restore;
        try {
            restore = job.restorePath();
        } catch (IOException e) {
            table.end(job, ClusterJob.State.FAILED, "cannot find the checkpoint to restart from: " + Failures.oneLine(e));
            return;
        }
        job.attempt++;
        job.worker = best;
        job.state = ClusterJob.State.RUNNING;
        slots.take(best, job.slots);
        LOG.info("Job {} ({}) attempt {} deployed to {} ({} slot(s)){}", job.id, job.jobName, job.attempt, best,
                job.slots, restore.isEmpty() ? "" : ", restoring " + restore);
        WorkerCommand deploy = new WorkerCommand(CommandKind.DEPLOY, job.id, job.attempt, job.graphBytes, job.jars, restore,
                job.options.allowNonRestoredState(), 0, "", job.options.progressInterval().toMillis());
        if (!sessions.send(best, deploy)) {
            table.workerGone(best, "its control stream is closed");
        }
    }

    /** A whole attempt ends: the slots it took on its worker are free again. Under the table's lock. */
    void release(ClusterJob job) {
        if (!job.worker.isEmpty() && job.state == ClusterJob.State.RUNNING) {
            slots.give(job.worker, job.slots);
        }
    }
}
