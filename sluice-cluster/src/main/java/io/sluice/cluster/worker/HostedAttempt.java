package io.sluice.cluster.worker;

import io.sluice.cluster.Failures;
import io.sluice.api.execution.JobExecutionException;
import io.sluice.api.execution.JobResult;
import io.sluice.api.execution.OperatorMetrics;
import io.sluice.api.graph.JobGraph;
import io.sluice.api.source.SourceSplit;
import io.sluice.api.types.TypeSerializer;
import io.sluice.cluster.protocol.JobMessages.OperatorCount;
import io.sluice.cluster.protocol.TaskCodecs;
import io.sluice.cluster.protocol.TaskMessage;
import io.sluice.cluster.protocol.TaskMessage.Kind;
import io.sluice.cluster.protocol.TaskMetrics;
import io.sluice.cluster.protocol.TaskSpecCodec;
import io.sluice.network.JobId;
import io.sluice.network.RemoteChannelId;
import io.sluice.runtime.channel.Channel;
import io.sluice.runtime.channel.InProcessChannel;
import io.sluice.runtime.channel.Wakeup;
import io.sluice.runtime.checkpoint.CheckpointResponder;
import io.sluice.runtime.checkpoint.OperatorSubtaskState;
import io.sluice.runtime.checkpoint.TaskGateway;
import io.sluice.runtime.checkpoint.TaskKey;
import io.sluice.runtime.checkpoint.storage.CheckpointWriter;
import io.sluice.runtime.checkpoint.storage.FileSystemCheckpointStorage;
import io.sluice.runtime.checkpoint.storage.StateFileHandle;
import io.sluice.runtime.cluster.AttemptListener;
import io.sluice.runtime.cluster.ChannelProvider;
import io.sluice.runtime.cluster.HostedTasks;
import io.sluice.runtime.cluster.SourceReaders;
import io.sluice.runtime.config.EngineConfig;
import io.sluice.runtime.plan.ChainPlanner;
import io.sluice.runtime.plan.ChannelId;
import io.sluice.runtime.plan.ExecutionPlan;
import io.sluice.runtime.plan.TaskSpec;
import io.sluice.runtime.serialization.SplitLists;
import io.sluice.runtime.serialization.UserClassObjectInput;
import io.sluice.runtime.source.ReaderEvent;
import io.sluice.runtime.source.ReaderGateway;
import io.sluice.runtime.source.SplitRequests;
import io.sluice.runtime.state.SnapshotKind;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This worker's share of one attempt of a job whose tasks are spread over workers: the tasks the coordinator placed
 * here, built with the job's class loader, with in-process channels between them and network channels to the tasks
 * of other workers; its checkpoint files go into the coordinator's checkpoints through participant writers, and
 * everything the tasks tell the coordinator goes up the control stream. Messages of the coordinator come in order on
 * the stream's thread; building, running and awaiting happen on threads of its own. Thread-safe.
 */
final class HostedAttempt implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HostedAttempt.class);
    /** How long a task's checkpoint writer waits for the coordinator to say where the checkpoint is written. */
    private static final long CHECKPOINT_LOCATION_WAIT_MILLIS = 10_000;
    /** How long a reader event waits for room in the reader's mailbox before the attempt fails. */
    private static final long READER_EVENT_WAIT_MILLIS = 5_000;

    final String job;
    final int attempt;
    private final WorkerDataPlane data;
    private final Consumer<TaskMessage> up;
    /** Told when this share ended without success (failed, cancelled): nothing more comes for it, it can be freed. */
    private final Consumer<HostedAttempt> ended;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final TaskFloatingBuffers floating;
    private static final int MAX_EARLY_READER_EVENTS = 1_000;
    private final Map<String, ReaderGateway> readers = new ConcurrentHashMap<>();
    /**
     * Reader events that came before their reader was built here (an enumerator may assign splits as it starts, while
     * the worker still builds the tasks), by {@code uid#subtask}, handed over in order when the reader connects.
     * Guarded by itself; at most {@link #MAX_EARLY_READER_EVENTS} per reader.
     */
    private final Map<String, List<TaskMessage>> earlyReaderEvents = new HashMap<>();
    private final CheckpointLocations locations = new CheckpointLocations();
    private final Map<Long, CheckpointWriter> participants = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor checkpointIo;
    /** Its measurements, in the order they were taken; none after the final one. */
    private final AttemptReports reports = new AttemptReports();
    private URLClassLoader loader;
    private volatile HostedTasks tasks;
    private volatile boolean cancelled;
    /** Guards the share's life: built, started, and whether its end was reported. */
    private final Object lifecycle = new Object();
    private boolean built; // guarded by lifecycle
    private boolean started; // guarded by lifecycle
    private boolean endReported; // guarded by lifecycle

    HostedAttempt(String job, int attempt, WorkerDataPlane data, Consumer<TaskMessage> up, Consumer<HostedAttempt> ended) {
        this.ended = ended;
        this.job = job;
        this.attempt = attempt;
        this.data = data;
        this.floating = new TaskFloatingBuffers(data.inputs().pool(), data.config().floatingBuffers());
        this.up = up;
        this.checkpointIo = new ThreadPoolExecutor(1, 2, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256), r -> {
            Thread t = new Thread(r, "sluice " + job + " attempt " + attempt + ": checkpoint io");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Builds the tasks of a {@link Kind#DEPLOY} message (on the calling thread, not the stream's) and answers
     * {@link Kind#DEPLOYED}, with the reason if they cannot be built.
     */
    void deploy(TaskMessage deploy, List<Path> jars, byte[] graphBytes, List<byte[]> specBytes, EngineConfig engine,
            WorkerMemory memory) {
        try {
            List<URL> urls = new ArrayList<>();
            for (Path jar : jars) {
                urls.add(jar.toUri().toURL());
            }
            loader = new URLClassLoader("job " + job, urls.toArray(URL[]::new), getClass().getClassLoader());
            Thread.currentThread().setContextClassLoader(loader); // the tasks' threads, started from here, inherit it
            JobGraph graph = SlotMemory.bound((JobGraph) UserClassObjectInput.read(graphBytes, loader), memory, job, attempt);
            List<TaskSpec> specs = new ArrayList<>();
            for (byte[] spec : specBytes) {
                specs.add(TaskSpecCodec.decode(spec, loader));
            }
            Map<String, InetSocketAddress> placement = TaskAddresses.parse(deploy.entries(TaskMessage.TASK));
            String root = deploy.text();
            ExecutionPlan plan = new ExecutionPlan(graph, ChainPlanner.plan(graph), attempt, specs, null);
            JobId networkJob = networkJob(job);
            data.inputs().startAttempt(networkJob, attempt);
            tasks = HostedTasks.build(plan, channels(plan, placement, networkJob), sourceReaders(), responder(root),
                    checkpointIo, engine, Duration.ofMillis(deploy.number()), listener());
            send(TaskMessage.of(Kind.DEPLOYED, job, attempt, -1, -1, 0, "", specs.size()));
            synchronized (lifecycle) {
                built = true;
            }
            if (cancelled) {
                endUnstarted(); // the coordinator gave up on this attempt while its share was being built
            }
        } catch (Exception | LinkageError e) {
            LOG.warn("Job {} attempt {}: its tasks cannot be built here", job, attempt, e);
            send(TaskMessage.of(Kind.DEPLOYED, job, attempt, -1, -1, 0, "cannot build its tasks: " + Failures.oneLine(e), 0));
            synchronized (lifecycle) {
                built = true;
            }
            endUnstarted();
        } finally {
            Thread.currentThread().setContextClassLoader(getClass().getClassLoader());
        }
    }

    /** The network job id of a cluster job (its channels' fencing scope). */
    static JobId networkJob(String job) {
        java.util.UUID id = java.util.UUID.nameUUIDFromBytes(job.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return new JobId(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }

    /** In-process channels between tasks here; network ends towards tasks of other workers. */
    private ChannelProvider channels(ExecutionPlan plan, Map<String, InetSocketAddress> placement, JobId networkJob) {
        return (id, edge, producerHere, consumerHere, wakeup, capacity) -> {
            if (producerHere && consumerHere) {
                return new InProcessChannel(capacity, wakeup);
            }
            TypeSerializer<?> type = plan.graph().recordType(edge);
            RemoteChannelId remote = new RemoteChannelId(networkJob, attempt, id);
            if (consumerHere) {
                // its credits and its task's floating buffers, in buffers of the worker's pool; an in-process channel
                // here holds as many and the one a network channel's producer fills (docs/distributed.md §2.6)
                var in = withJobNamed(() -> data.inputs().register(remote, type, data.config().creditsPerChannel(),
                        floating.of(wakeup, remote), wakeup));
                synchronized (resources) {
                    resources.add(in::close);
                }
                return in;
            }
            String consumer = plan.layout().chainOfNode().get(edge.targetId()) + "/" + id.consumer();
            InetSocketAddress address = placement.get(consumer);
            if (address == null) {
                throw new IllegalStateException("channel " + id + ": no worker placed for task " + consumer);
            }
            var out = withJobNamed(() -> data.connections().openOutput(address, remote, type));
            synchronized (resources) {
                resources.add(out::cancel);
            }
            return out;
        };
    }

    /** A channel end the worker's network buffers cannot serve fails the deployment naming the job as users know it. */
    private <T> T withJobNamed(java.util.concurrent.Callable<T> open) throws Exception {
        try {
            return open.call();
        } catch (io.sluice.network.InsufficientNetworkBuffersException e) {
            throw new IllegalStateException("job " + job + ", attempt " + attempt + ": " + e.getMessage(), e);
        }
    }

    private SourceReaders sourceReaders() {
        return new SourceReaders() {
            @Override
            public SplitRequests requests(String uid) {
                return new SplitRequests() {
                    @Override
                    public void registerReader(int subtask) {
                        send(TaskMessage.of(Kind.SPLITS, job, attempt, -1, subtask, 0, uid, 0));
                    }

                    @Override
                    public void requestSplit(int subtask) {
                        send(TaskMessage.of(Kind.SPLITS, job, attempt, -1, subtask, 0, uid, 1));
                    }
                };
            }

            @Override
            public void connect(String uid, int subtask, ReaderGateway gateway) {
                String key = uid + "#" + subtask;
                synchronized (earlyReaderEvents) {
                    readers.put(key, gateway);
                    List<TaskMessage> early = earlyReaderEvents.remove(key);
                    if (early != null) {
                        early.forEach(m -> handOver(gateway, m));
                    }
                }
            }
        };
    }

    /** Checkpoint files through participant writers; acknowledgements up the stream with the files' handles. */
    private CheckpointResponder responder(String defaultRoot) {
        return new CheckpointResponder() {
            @Override
            public Optional<CheckpointWriter> writer(long checkpointId) {
                String root = awaitRoot(checkpointId);
                if (root == null) {
                    return Optional.empty();
                }
                try {
                    return Optional.of(participants.computeIfAbsent(checkpointId, id -> {
                        try {
                            return new FileSystemCheckpointStorage(Path.of(root)).participant(id);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }));
                } catch (java.io.UncheckedIOException e) {
                    LOG.warn("Job {}: checkpoint {} cannot be written under {}", job, checkpointId, root, e);
                    return Optional.empty();
                }
            }

            @Override
            public void acknowledge(TaskKey task, long checkpointId, List<StateFileHandle> files, long alignmentMillis) {
                send(new TaskMessage(Kind.ACK, job, attempt, task.chainId(), task.subtask(), checkpointId, "",
                        alignmentMillis, List.of(), files.stream().map(TaskCodecs::handle).toList()));
            }

            @Override
            public void decline(TaskKey task, long checkpointId, String reason) {
                send(TaskMessage.of(Kind.DECLINE, job, attempt, task.chainId(), task.subtask(), checkpointId, reason, 0));
            }
        };
    }

    /** The storage root of checkpoint {@code id}, once the coordinator said it; {@code null} if aborted or unknown. */
    private String awaitRoot(long id) {
        return locations.await(id, CHECKPOINT_LOCATION_WAIT_MILLIS, () -> LOG.warn(
                "Job {}: the coordinator did not say where checkpoint {} goes within {} ms", job, id,
                CHECKPOINT_LOCATION_WAIT_MILLIS));
    }

    private AttemptListener listener() {
        return new AttemptListener() {
            @Override
            public void failing(String reason) {
                send(TaskMessage.of(Kind.FAILED, job, attempt, -1, -1, 0, reason, 0));
            }

            @Override
            public void taskFinished(TaskKey task, long lastCheckpointTaken, List<OperatorSubtaskState> states) {
                send(new TaskMessage(Kind.TASK_FINISHED, job, attempt, task.chainId(), task.subtask(), 0, "",
                        lastCheckpointTaken, List.of(), bytes(states)));
            }

            @Override
            public void operatorFinished(OperatorSubtaskState state) {
                send(new TaskMessage(Kind.OPERATOR_FINISHED, job, attempt, -1, -1, 0, "", 0, List.of(),
                        bytes(List.of(state))));
            }
        };
    }

    private static List<byte[]> bytes(List<OperatorSubtaskState> states) {
        List<byte[]> out = new ArrayList<>();
        for (OperatorSubtaskState s : states) {
            try {
                out.add(s.toBytes());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return out;
    }

    /** Starts the tasks, and a thread that reports when they all ended. */
    void start() {
        HostedTasks t = tasks;
        synchronized (lifecycle) {
            if (t == null || cancelled || endReported) {
                return; // never built (DEPLOYED said why), or cancelled before it started (its end is reported)
            }
            started = true;
            // The tasks' threads inherit the starting thread's context class loader: the job's, as on the embedded
            // cluster. Started under the lock: a cancel either sees them started or keeps them from starting.
            Thread current = Thread.currentThread();
            ClassLoader previous = current.getContextClassLoader();
            current.setContextClassLoader(loader);
            try {
                t.start();
            } finally {
                current.setContextClassLoader(previous);
            }
        }
        Thread waiter = new Thread(() -> awaitEnd(t), "sluice " + job + " attempt " + attempt + ": await");
        waiter.setDaemon(true);
        waiter.start();
    }

    private void awaitEnd(HostedTasks t) {
        List<OperatorMetrics> counts;
        boolean succeeded = false;
        try {
            JobResult result = t.await();
            counts = result.operators();
            succeeded = true;
        } catch (JobExecutionException e) {
            counts = t.progress().operators();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        reports.last(this::metrics, this::send); // the final counts, before the end: the coordinator keeps them
        List<byte[]> blobs = counts.stream()
                .map(o -> new OperatorCount(o.nodeId(), o.name(), o.recordsIn(), o.recordsOut()).toBytes()).toList();
        send(new TaskMessage(Kind.ENDED, job, attempt, -1, -1, 0, cancelled ? "cancelled" : "", 0, List.of(), blobs));
        if (!succeeded) {
            ended.accept(this); // no final actions follow a failed or cancelled share
        }
    }

    /**
     * Offers what this share measured now to {@code out} (the {@link MetricsReporter}'s thread): nothing before its
     * tasks started, nor once its final report went (sent, in order, just before {@link Kind#ENDED}).
     */
    void report(Consumer<TaskMessage> out) {
        reports.periodic(this::metrics, out);
    }

    /**
     * What this share measured now, as a {@link Kind#METRICS} message: the counters of every operator subtask hosted
     * here and its readers' split watermarks; empty before its tasks started. Reads the fields
     * the task threads write (never waits for them). Any thread.
     */
    private Optional<TaskMessage> metrics() {
        HostedTasks t = tasks;
        synchronized (lifecycle) {
            if (t == null || !started) {
                return Optional.empty();
            }
        }
        List<TaskMetrics.Subtask> subtasks = new ArrayList<>();
        t.hostedSubtasks().forEach((node, here) -> {
            for (io.sluice.runtime.monitor.SubtaskCounters c : t.subtasks(node)) {
                if (here.contains(c.subtask())) {
                    subtasks.add(TaskMetrics.Subtask.of(node, c));
                }
            }
        });
        List<TaskMetrics.Split> splits = t.splits().stream().map(TaskMetrics.Split::of).toList();
        return Optional.of(new TaskMetrics(subtasks, splits).message(job, attempt));
    }

    /** A message of the coordinator for these tasks, on the stream's thread. */
    void handle(TaskMessage m) {
        HostedTasks t = tasks;
        switch (m.kind()) {
            case START -> start();
            case CANCEL -> cancel();
            case CHECKPOINT_STARTED -> locations.started(m.checkpointId(), m.text());
            case TRIGGER -> gateway(t, m).ifPresent(g -> {
                if (!g.triggerCheckpoint(m.checkpointId(), m.number() == 1 ? SnapshotKind.SAVEPOINT : SnapshotKind.CHECKPOINT)) {
                    send(TaskMessage.of(Kind.DECLINE, job, attempt, m.chain(), m.subtask(), m.checkpointId(),
                            "the mailbox of source task " + m.chain() + "/" + m.subtask() + " is full", 0));
                }
            });
            case COMPLETE -> {
                gateway(t, m).ifPresent(g -> g.notifyCheckpointComplete(m.checkpointId()));
                participants.remove(m.checkpointId()); // its files are the coordinator's now
                locations.forgetBefore(m.checkpointId());
            }
            case ABORT -> {
                gateway(t, m).ifPresent(g -> g.abortCheckpoint(m.checkpointId()));
                locations.aborted(m.checkpointId());
                CheckpointWriter w = participants.remove(m.checkpointId());
                if (w != null) {
                    w.abort();
                }
            }
            case READER -> deliver(m);
            case RUN_FINAL_ACTIONS -> runFinalActions(t, m);
            case AWAIT_POSTED -> awaitPosted(t, m);
            default -> LOG.warn("Job {}: a {} message is not for a worker; ignored", job, m.kind());
        }
    }


    private Optional<TaskGateway> gateway(HostedTasks t, TaskMessage m) {
        return t == null ? Optional.empty()
                : Optional.ofNullable(t.gateways().get(new TaskKey(m.chain(), m.subtask(), attempt)));
    }

    /**
     * Hands a reader event to its reader's mailbox, in order, waiting a bounded time for room; keeps it until the
     * reader connects if it is not built yet. Control stream thread.
     */
    private void deliver(TaskMessage m) {
        String key = m.text() + "#" + m.subtask();
        ReaderGateway gateway;
        synchronized (earlyReaderEvents) {
            gateway = readers.get(key);
            if (gateway == null) {
                List<TaskMessage> early = earlyReaderEvents.computeIfAbsent(key, k -> new ArrayList<>());
                if (early.size() < MAX_EARLY_READER_EVENTS) {
                    early.add(m);
                } else {
                    LOG.warn("Job {}: no reader {} of source {} here after {} events; this one is dropped", job,
                            m.subtask(), m.text(), MAX_EARLY_READER_EVENTS);
                }
                return;
            }
        }
        handOver(gateway, m);
    }

    private void handOver(ReaderGateway gateway, TaskMessage m) {
        ReaderEvent event;
        try {
            event = switch ((int) m.number()) {
                case 0 -> new ReaderEvent.SplitsAssigned(SplitLists.read(m.blobs().getFirst(), loader));
                case 1 -> new ReaderEvent.NoMoreSplits();
                default -> new ReaderEvent.Registered();
            };
        } catch (IOException e) {
            fail("the splits for reader " + m.subtask() + " of source " + m.text() + " cannot be read: " + Failures.oneLine(e));
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READER_EVENT_WAIT_MILLIS);
        while (!gateway.tryDeliver(event)) {
            if (System.nanoTime() > deadline || cancelled) {
                fail("reader " + m.subtask() + " of source " + m.text() + " had no room for its splits for "
                        + READER_EVENT_WAIT_MILLIS + " ms");
                return;
            }
            Thread.onSpinWait();
        }
    }

    private void runFinalActions(HostedTasks t, TaskMessage m) {
        String failure = "";
        try {
            if (t != null) {
                t.runFinalActions();
            }
        } catch (Exception e) {
            LOG.warn("Job {}: its final actions failed here", job, e);
            failure = Failures.oneLine(e);
        }
        send(TaskMessage.of(Kind.FINAL_ACTIONS_RUN, job, attempt, -1, -1, m.checkpointId(), failure, 0));
        close();
    }

    /** Waits (on a thread of its own) until the tasks ran their posted mails, and says which did not in time. */
    private void awaitPosted(HostedTasks t, TaskMessage m) {
        Thread waiter = new Thread(() -> {
            List<String> late = List.of();
            try {
                late = t == null ? List.of() : t.awaitPostedRun(m.number());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            send(new TaskMessage(Kind.POSTED_RUN, job, attempt, -1, -1, m.checkpointId(), "", 0, late, List.of()));
        }, "sluice " + job + " attempt " + attempt + ": await posted");
        waiter.setDaemon(true);
        waiter.start();
    }

    private void fail(String reason) {
        send(TaskMessage.of(Kind.FAILED, job, attempt, -1, -1, 0, reason, 0));
        cancel();
    }

    /**
     * Cancels the share. Started tasks are cancelled and their end is reported as usual (by the thread awaiting them);
     * a share built but never started reports its end now and is freed; one still being built does so when its build
     * ends.
     */
    void cancel() {
        cancelled = true;
        locations.cancel();
        boolean running;
        synchronized (lifecycle) {
            running = started;
        }
        if (running) {
            tasks.cancel();
        } else {
            endUnstarted();
        }
    }

    /** A share whose tasks never start: reports its end once (the coordinator counts it ended) and is freed. */
    private void endUnstarted() {
        synchronized (lifecycle) {
            if (!built || started || endReported) {
                return; // still being built (the build's end calls here again), running, or reported already
            }
            endReported = true;
        }
        send(new TaskMessage(Kind.ENDED, job, attempt, -1, -1, 0, "cancelled", 0, List.of(), List.of()));
        ended.accept(this);
    }

    private void send(TaskMessage m) {
        up.accept(m);
    }

    /** Frees the attempt: cancels what still runs, its network ends, its I/O threads and its class loader. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        cancelled = true;
        locations.cancel();
        boolean running;
        synchronized (lifecycle) {
            running = started;
            endReported = true; // nothing is reported of a share being closed
        }
        HostedTasks t = tasks;
        if (running) {
            t.cancel();
            try {
                t.awaitTermination(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (resources) {
            for (AutoCloseable r : resources) {
                try {
                    r.close();
                } catch (Exception e) {
                    LOG.debug("Job {}: closing a channel failed", job, e);
                }
            }
            resources.clear();
        }
        floating.close(); // after the channels that borrowed them
        checkpointIo.shutdownNow();
        data.inputs().forgetAttempt(networkJob(job), attempt); // a newer attempt's channels stay
        if (loader != null) {
            try {
                loader.close();
            } catch (IOException e) {
                LOG.debug("Job {}: closing its class loader failed", job, e);
            }
        }
    }

}
