package io.sluice.cluster.coordinator;

import io.sluice.api.graph.JobGraph;
import io.sluice.cluster.protocol.TaskMessage;
import io.sluice.cluster.protocol.TaskMessage.Kind;
import io.sluice.cluster.protocol.TaskSpecCodec;
import io.sluice.runtime.checkpoint.TaskKey;
import io.sluice.runtime.cluster.AttemptRun;
import io.sluice.runtime.cluster.TaskDeployment;
import io.sluice.runtime.plan.TaskSpec;
import io.sluice.runtime.serialization.SplitLists;
import io.sluice.runtime.source.ReaderEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Deploys the attempts of one job across the cluster's workers: the attempt's slots (its largest parallelism; slot
 * {@code i} holds subtask {@code i} of every chain, as Flink's slot sharing) are placed on workers with free slots,
 * each worker gets the job's graph, jars and the specs of its tasks with where every other task runs, and the
 * attempt starts once every worker built its share. The job's supervisor (plan, checkpoints, enumerators, restarts)
 * runs on the coordinator and drives the {@link RemoteAttempt} this returns.
 */
final class RemoteDeployment implements TaskDeployment {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RemoteDeployment.class);
    /** How long workers may take to build their tasks (fetching the jar, restoring state). */
    private static final long DEPLOY_MILLIS = 120_000;

    /** What the job table gives a deployment. */
    interface Slots {
        /**
         * Reserves {@code count} slots on workers with free slots, waiting (bounded) for enough; the worker of each slot,
         * in slot order. Fails if there are not enough in time.
         */
        List<String> reserve(String job, int count) throws IOException, InterruptedException;

        /** Frees the slots of {@code job}. */
        void release(String job);

        /** Where a worker's data server listens, {@code host:port}. */
        String dataAddress(String worker);

        /** Sends a message to a worker's tasks. */
        boolean send(String worker, TaskMessage message);

        /** Keeps {@code bytes} in the coordinator's blob store, for workers to fetch; their SHA-256. */
        String putBlob(byte[] bytes) throws IOException;
    }

    private final String job;
    private final byte[] graphBytes;
    private final List<String> jars;
    private final String checkpointRoot;
    private final Slots slots;
    private final BiConsumer<String, RemoteAttempt> current;
    private final java.util.function.Consumer<String> failed;

    /**
     * @param current told of each attempt before its workers are sent its tasks (their events are routed to it from
     *                then on; it may abort the attempt's deployment at once, {@link RemoteAttempt#abortDeployment})
     * @param failed  told of each attempt's first failure
     */
    RemoteDeployment(String job, byte[] graphBytes, List<String> jars, String checkpointRoot, Slots slots,
            BiConsumer<String, RemoteAttempt> current, java.util.function.Consumer<String> failed) {
        this.failed = failed;
        this.job = job;
        this.graphBytes = graphBytes;
        this.jars = List.copyOf(jars);
        this.checkpointRoot = checkpointRoot;
        this.slots = slots;
        this.current = current;
    }

    @Override
    public AttemptRun deploy(Attempt setup) throws Exception {
        JobGraph graph = setup.plan().graph();
        int attempt = setup.plan().attempt();
        int slotCount = graph.nodes().stream().mapToInt(n -> n.parallelism()).max().orElse(1);
        slots.release(job); // the previous attempt's
        List<String> slotWorkers = slots.reserve(job, slotCount);
        Map<TaskKey, String> placement = new HashMap<>();
        Map<String, List<TaskSpec>> byWorker = new HashMap<>();
        for (TaskSpec spec : setup.plan().tasks()) {
            String worker = slotWorkers.get(spec.subtask());
            placement.put(spec.key(), worker);
            byWorker.computeIfAbsent(worker, w -> new ArrayList<>()).add(spec);
        }
        // What a worker fetches by reference (never inside a message: restored state can be large): the job's jars,
        // its graph and each task's spec; then where every task runs.
        List<String> where = new ArrayList<>();
        jars.forEach(j -> where.add(TaskMessage.JAR + j));
        where.add(TaskMessage.GRAPH + slots.putBlob(graphBytes));
        placement.forEach((key, worker) -> where.add(TaskMessage.TASK + key.chainId() + "/" + key.subtask() + "="
                + slots.dataAddress(worker)));
        RemoteAttempt run = new RemoteAttempt(job, attempt, setup, placement, slots::send, failed);
        current.accept(job, run);
        for (var e : byWorker.entrySet()) {
            List<String> strings = new ArrayList<>(where);
            for (TaskSpec spec : e.getValue()) {
                strings.add(TaskMessage.SPEC + slots.putBlob(TaskSpecCodec.encode(spec)));
            }
            if (!run.sendDeploy(e.getKey(), new TaskMessage(Kind.DEPLOY, job, attempt, -1, -1, 0,
                    checkpointRoot == null ? "" : checkpointRoot, setup.progressInterval().toMillis(), strings,
                    List.of()))) {
                run.workerLost(e.getKey(), "its control stream is closed");
            }
        }
        // After the DEPLOY messages, on the same streams: an enumerator assigns splits as it starts, and a worker
        // drops messages of an attempt it was not yet told to deploy (it keeps those that come before a reader is
        // built: HostedAttempt).
        connectReaders(setup, placement, attempt);
        var restore = setup.plan().restore();
        LOG.info("Job {} ({}) attempt {} deployed to {} ({} slot(s)){}", job, graph.name(), attempt,
                new java.util.TreeSet<>(byWorker.keySet()), slotCount,
                restore == null ? "" : ", restoring " + restore.location());
        try {
            run.awaitDeployed(DEPLOY_MILLIS);
        } catch (IOException | InterruptedException | RuntimeException e) {
            run.cancel();
            slots.release(job);
            throw e;
        }
        return run;
    }

    /** Each source reader's events go down its worker's control stream, in order. */
    private void connectReaders(Attempt setup, Map<TaskKey, String> placement, int attempt) {
        for (TaskSpec spec : setup.plan().tasks()) {
            String uid = spec.sourceUid();
            if (uid == null) {
                continue;
            }
            String worker = placement.get(spec.key());
            int subtask = spec.subtask();
            setup.sources().connect(uid, subtask, event -> {
                TaskMessage m = switch (event) {
                    case ReaderEvent.SplitsAssigned assigned -> new TaskMessage(Kind.READER, job, attempt, -1, subtask, 0,
                            uid, 0, List.of(), List.of(splitBytes(assigned)));
                    case ReaderEvent.NoMoreSplits none -> TaskMessage.of(Kind.READER, job, attempt, -1, subtask, 0, uid, 1);
                    case ReaderEvent.Registered registered -> TaskMessage.of(Kind.READER, job, attempt, -1, subtask, 0, uid, 2);
                };
                slots.send(worker, m); // a worker that is gone fails the attempt through its loss
                return true;
            });
        }
    }

    private static byte[] splitBytes(ReaderEvent.SplitsAssigned assigned) {
        try {
            return SplitLists.write(assigned.splits());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
