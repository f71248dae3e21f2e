package io.sluice.runtime.cluster;

import io.sluice.api.eventtime.WatermarkStrategy;
import io.sluice.api.graph.JobConfig;
import io.sluice.api.graph.OperatorSpec;
import io.sluice.api.graph.StreamEdge;
import io.sluice.api.graph.StreamNode;
import io.sluice.api.source.Source;
import io.sluice.api.source.SourceReader;
import io.sluice.api.source.SourceReaderContext;
import io.sluice.api.source.SourceSplit;
import io.sluice.runtime.channel.BatchSizer;
import io.sluice.runtime.channel.Channel;
import io.sluice.runtime.channel.ChannelWriter;
import io.sluice.runtime.channel.Wakeup;
import io.sluice.runtime.config.EngineConfig;
import io.sluice.runtime.source.SourceOutputs;
import io.sluice.runtime.operator.ChainedTarget;
import io.sluice.runtime.operator.OneInputOperator;
import io.sluice.runtime.operator.OperatorCounters;
import io.sluice.runtime.operator.factory.OperatorFactory;
import io.sluice.runtime.operator.OperatorSetup;
import io.sluice.runtime.operator.Output;
import io.sluice.runtime.operator.RecordTarget;
import io.sluice.runtime.operator.StreamOperator;
import io.sluice.runtime.plan.ChainPlan;
import io.sluice.runtime.plan.ChannelId;
import io.sluice.runtime.plan.ExecutionPlan;
import io.sluice.runtime.plan.TaskSpec;
import io.sluice.runtime.source.SourceReaderInput;
import io.sluice.runtime.source.SplitRequests;
import io.sluice.runtime.checkpoint.CheckpointResponder;
import java.util.concurrent.Executor;
import io.sluice.api.types.TypeSerializer;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyedStateBackend;
import io.sluice.runtime.state.operator.OperatorStateStore;
import io.sluice.runtime.task.Mailbox;
import io.sluice.runtime.task.MailboxProcessingTime;
import io.sluice.runtime.timer.ProcessingTimeService;
import java.util.concurrent.ScheduledExecutorService;
import io.sluice.runtime.channel.Cancellation;
import io.sluice.runtime.task.ChainMember;
import io.sluice.runtime.task.Task;
import io.sluice.runtime.task.InputSpec;
import io.sluice.runtime.task.TaskCheckpointing;
import io.sluice.runtime.task.TaskListener;
import io.sluice.runtime.checkpoint.OperatorSubtaskState;
import io.sluice.runtime.checkpoint.restore.RestoredKeyedState;
import io.sluice.runtime.checkpoint.restore.SubtaskRestore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the tasks of an {@link ExecutionPlan} in this JVM: one task per {@link TaskSpec} of the plan (every task on
 * the embedded cluster, a worker's share on a cluster), each with fresh copies of its user objects, and a channel per
 * {@link ChannelId} with an end in one of them ({@link ChannelProvider}); readers reach their enumerators through
 * {@link SourceReaders}. It decides nothing the plan does not say. Runs on the deploying thread.
 */
final class TaskFactory {
    private final ExecutionPlan plan;
    private final JobConfig config;
    /** What transactional sinks are told: how long a pre-committed transaction may wait for its commit. */
    private final java.time.Duration expectedRecovery;
    private final EngineConfig engine;
    private final Cancellation cancellation;
    private final TaskListener listener;
    private final JobMetrics metrics;
    private final ScheduledExecutorService timerThread;
    /** The finalizer of an operator (uid) in a subtask. */
    private final java.util.function.BiFunction<String, Integer, io.sluice.runtime.operator.JobFinalizer> finalizers;
    /** Where tasks report their part of checkpoints, and the I/O threads that write it. */
    private final CheckpointResponder responder;
    private final Executor checkpointIo;
    /** How readers reach their enumerators, which run in the job's coordinator. */
    private final SourceReaders readers;
    /** Makes each channel with an end here. */
    private final ChannelProvider channelProvider;
    /** The chain subtasks built here ("chain#subtask"): the plan's tasks. */
    private final java.util.Set<String> hosted = new java.util.HashSet<>();
    private final Map<Integer, UserObjects> userObjects = new HashMap<>();
    /** Per source node: its watermark strategy, copied per subtask like the source itself. */
    private final Map<Integer, UserObjects> sourceStrategies = new HashMap<>();
    private final Map<ChannelId, Channel> channels = new HashMap<>();
    /** Channel edge index by edge, by identity: {@code a.union(a)} gives two equal edges, each with channels of its own. */
    private final Map<StreamEdge, Integer> channelEdgeIndex = new java.util.IdentityHashMap<>();
    /** Per chain: one wakeup per subtask. */
    private final Map<Integer, Wakeup[]> wakeups = new HashMap<>();

    TaskFactory(ExecutionPlan plan, Cancellation cancellation, TaskListener listener, JobMetrics metrics,
            ScheduledExecutorService timerThread,
            java.util.function.BiFunction<String, Integer, io.sluice.runtime.operator.JobFinalizer> finalizers,
            CheckpointResponder responder, Executor checkpointIo, SourceReaders readers, ChannelProvider channelProvider,
            EngineConfig engine) {
        this.engine = engine.forJob(plan.graph().config().flushTimeoutMillis());
        this.finalizers = finalizers;
        this.timerThread = timerThread;
        this.plan = plan;
        this.config = plan.graph().config();
        this.expectedRecovery = io.sluice.runtime.operator.factory.RecoveryTime.of(plan.graph());
        this.cancellation = cancellation;
        this.listener = listener;
        this.metrics = metrics;
        this.responder = responder;
        this.checkpointIo = checkpointIo;
        this.readers = readers;
        this.channelProvider = channelProvider;
        for (TaskSpec spec : plan.tasks()) {
            hosted.add(spec.key().chainId() + "#" + spec.subtask());
        }
    }

    private boolean isHosted(int nodeId, int subtask) {
        return hosted.contains(plan.layout().chainOfNode().get(nodeId) + "#" + subtask);
    }

    /**
     * Checks and prepares everything that can fail before a thread starts: user objects, then the channels with an
     * end in a task built here. (What each subtask restores is read when its task is built.)
     */
    void prepare() throws Exception {
        for (StreamNode node : plan.graph().nodes()) {
            Object user = OperatorFactory.userObject(node.spec());
            userObjects.put(node.id(), new UserObjects(user, node.name()));
            if (node.spec() instanceof OperatorSpec.SourceSpec sourceSpec) {
                sourceStrategies.put(node.id(), new UserObjects(sourceSpec.watermarkStrategy(), node.name()));
            }
        }
        for (ChainPlan chain : plan.layout().chains()) {
            Wakeup[] w = new Wakeup[chain.parallelism()];
            for (int s = 0; s < w.length; s++) {
                w[s] = new Wakeup();
            }
            wakeups.put(chain.id(), w);
        }
        List<StreamEdge> edges = plan.layout().channelEdges();
        for (int e = 0; e < edges.size(); e++) {
            StreamEdge edge = edges.get(e);
            channelEdgeIndex.put(edge, e);
            int producers = plan.graph().node(edge.sourceId()).parallelism();
            int consumers = plan.graph().node(edge.targetId()).parallelism();
            Wakeup[] consumerWakeups = wakeups.get(plan.layout().chainOfNode().get(edge.targetId()));
            Channel[][] c = new Channel[producers][consumers];
            for (int p = 0; p < producers; p++) {
                for (int q = 0; q < consumers; q++) {
                    boolean producerHere = isHosted(edge.sourceId(), p);
                    boolean consumerHere = isHosted(edge.targetId(), q);
                    if (producerHere || consumerHere) {
                        ChannelId id = new ChannelId(e, p, q);
                        c[p][q] = channelProvider.channel(id, edge, producerHere, consumerHere, consumerWakeups[q],
                                engine.channelCapacity());
                        channels.put(id, c[p][q]);
                    }
                }
            }
            metrics.addChannels(plan.graph().node(edge.sourceId()).name(), plan.graph().node(edge.targetId()).name(), c);
        }
    }

    /** Loads what the restore assignment gives this subtask of a restored operator into its keyed and operator state. */
    private void restoreInto(StreamNode node, TaskSpec spec, KeyedStateBackend backend, OperatorStateStore operatorState)
            throws IOException {
        var restored = spec.restoreOf(node.uid());
        if (restored.isEmpty()) {
            return;
        }
        SubtaskRestore mine = restored.get();
        if (backend != null) {
            for (RestoredKeyedState s : mine.keyed()) {
                try {
                    backend.checkRestorable(s.snapshot());
                } catch (IOException e) {
                    throw new IOException(restoredCheckpoint() + ": the keyed state of operator '"
                            + node.name() + "' (uid " + node.uid() + "), subtask " + (s.subtask() + 1) + "/" + s.parallelism()
                            + ", cannot be restored: " + e.getMessage(), e);
                }
            }
            try {
                backend.restore(mine.keyed().stream().map(RestoredKeyedState::snapshot).toList());
            } catch (IOException e) {
                throw new IOException(restoredCheckpoint() + ": the keyed state of operator '"
                        + node.name() + "' (uid " + node.uid() + ") cannot be restored into subtask "
                        + (spec.subtask() + 1) + "/" + spec.parallelism() + ": " + e.getMessage(), e);
            }
        }
        operatorState.restore(mine.operator(), spec.subtask());
    }

    private String restoredCheckpoint() {
        return plan.restore() != null ? "checkpoint " + plan.restore().checkpointId()
                : "the checkpoint at " + plan.tasks().getFirst().restoreLocation();
    }

    /** One task per task spec of the plan, in plan order. */
    List<Task> createTasks() throws Exception {
        List<Task> tasks = new ArrayList<>();
        for (TaskSpec spec : plan.tasks()) {
            tasks.add(createTask(spec));
        }
        return tasks;
    }

    private Task createTask(TaskSpec spec) throws Exception {
        int subtask = spec.subtask();
        int p = spec.parallelism();
        Map<Integer, StreamOperator> operators = new HashMap<>();
        Map<Integer, Object> userCopies = new HashMap<>();
        for (int nodeId : spec.nodeIds()) {
            StreamNode node = plan.graph().node(nodeId);
            Object user = userObjects.get(nodeId).copy();
            userCopies.put(nodeId, user);
            if (!(node.spec() instanceof OperatorSpec.SourceSpec)) {
                operators.put(nodeId, OperatorFactory.create(node, user, config, expectedRecovery));
            }
        }
        List<ChannelWriter> writers = new ArrayList<>();
        Map<Integer, Output> outputs = new HashMap<>();
        for (int nodeId : spec.nodeIds()) {
            outputs.put(nodeId, buildOutput(spec, nodeId, operators, writers));
        }
        Wakeup wakeup = wakeups.get(spec.key().chainId())[subtask];
        Mailbox mailbox = new Mailbox(wakeup);
        ProcessingTimeService processingTime = new MailboxProcessingTime(timerThread, mailbox);
        List<ChainMember> members = new ArrayList<>();
        for (int nodeId : spec.nodeIds()) {
            StreamOperator op = operators.get(nodeId);
            if (op == null) {
                continue;
            }
            StreamNode node = plan.graph().node(nodeId);
            KeyedStateBackend backend = keyedBackend(node, spec, processingTime);
            OperatorStateStore operatorState = new OperatorStateStore();
            restoreInto(node, spec, backend, operatorState);
            members.add(new ChainMember(node.name(), node.uid(), op, new OperatorSetup(node.name(), subtask, p,
                    config.maxParallelism(), outputs.get(nodeId), backend, operatorState, processingTime,
                    finalizers.apply(node.uid(), subtask)), metrics.counters(nodeId, subtask)));
        }
        StreamNode head = plan.graph().node(spec.headNodeId());
        InputSpec input = spec.sourceUid() != null
                ? new InputSpec.Prepared(sourceInput(head, spec, userCopies.get(head.id()), outputs.get(head.id()),
                        processingTime, mailbox))
                : channelInput(spec, operators.get(head.id()));
        TaskCheckpointing checkpointing = new TaskCheckpointing(spec.key(), spec.sourceUid(),
                spec.checkpoints().exactlyOnce(), responder, checkpointIo);
        Task task = new Task(spec.name(), subtask, p, members, input, writers, wakeup, mailbox, cancellation,
                listener, engine.flushIntervalMillis(), checkpointing);
        io.sluice.runtime.operator.TaskTimes times = new io.sluice.runtime.operator.TaskTimes();
        task.measureInto(times);
        writers.forEach(w -> w.measureInto(times));
        metrics.chain(spec.nodeIds(), subtask, times);
        return task;
    }

    /** The keyed state backend of a keyed operator, or {@code null} for others. */
    private KeyedStateBackend keyedBackend(StreamNode node, TaskSpec spec, ProcessingTimeService time) {
        TypeSerializer<?> keyType = OperatorFactory.keyType(node.spec());
        if (keyType == null) {
            return null;
        }
        KeyGroupRange range = spec.keyGroups();
        int subtask = spec.subtask();
        int parallelism = spec.parallelism();
        try {
            return io.sluice.runtime.state.KeyedStateBackendFactory.named(config.stateBackend())
                    .create(new io.sluice.runtime.state.StateOwner(node.name(), node.uid(), subtask, parallelism), range,
                            config.maxParallelism(), keyType, time::currentTime, config.stateBackendOptions());
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the " + config.stateBackend() + " state backend of '" + node.name()
                    + "' (subtask " + (subtask + 1) + "/" + parallelism + "): " + e.getMessage(), e);
        }
    }

    /**
     * A source reader's input, emitting through per-split outputs that generate the source's watermarks, registered
     * with the source's coordinator, which reaches it through its mailbox.
     */
    @SuppressWarnings("unchecked")
    private SourceReaderInput sourceInput(StreamNode node, TaskSpec spec, Object sourceCopy, Output output,
            ProcessingTimeService time, Mailbox mailbox) throws Exception {
        int subtask = spec.subtask();
        var restored = spec.restoreOf(node.uid());
        List<SourceSplit> restoredSplits = restored.map(SubtaskRestore::splits).orElse(List.of());
        List<String> restoredFinished = restored.isEmpty() ? List.of()
                : OperatorSubtaskState.finishedSplitIds(restored.get().operator());
        WatermarkStrategy<?> strategy = (WatermarkStrategy<?>) sourceStrategies.get(node.id()).copy();
        SourceOutputs sourceOutputs = new SourceOutputs(output, strategy, time, config.autoWatermarkIntervalMillis(), List.of());
        metrics.sourceOutputs(node.id(), subtask, sourceOutputs);
        SplitRequests coordinator = readers.requests(node.uid());
        Source<Object, SourceSplit> source = (Source<Object, SourceSplit>) sourceCopy;
        SourceReader<Object, SourceSplit> reader = source.createReader(new SourceReaderContext() {
            @Override
            public int subtaskIndex() {
                return subtask;
            }

            @Override
            public int parallelism() {
                return node.parallelism();
            }

            @Override
            public String operatorName() {
                return node.name();
            }

            @Override
            public void sendSplitRequest() {
                coordinator.requestSplit(subtask);
            }
        });
        SourceReaderInput input = new SourceReaderInput(reader, sourceOutputs, node.name(), subtask, coordinator,
                restoredSplits, restoredFinished);
        readers.connect(node.uid(), subtask, event -> mailbox.tryPut(() -> input.handle(event)));
        return input;
    }

    /** The channels into the task's head, in the plan's order. */
    private InputSpec channelInput(TaskSpec spec, StreamOperator head) {
        Channel[] in = new Channel[spec.inputs().size()];
        int[] inputIndex = new int[in.length];
        for (int i = 0; i < in.length; i++) {
            in[i] = channels.get(spec.inputs().get(i).channel());
            inputIndex[i] = spec.inputs().get(i).targetInput();
        }
        StreamNode node = plan.graph().node(spec.headNodeId());
        return new InputSpec.Channels(in, inputIndex, head, metrics.counters(node.id(), spec.subtask()), node.name());
    }

    @SuppressWarnings("unchecked")
    private Output buildOutput(TaskSpec spec, int nodeId, Map<Integer, StreamOperator> operators, List<ChannelWriter> writers) {
        int subtask = spec.subtask();
        List<RecordTarget> main = new ArrayList<>();
        Map<String, List<RecordTarget>> sides = new HashMap<>();
        List<RecordTarget> all = new ArrayList<>();
        for (StreamEdge edge : plan.graph().outputsOf(nodeId)) {
            RecordTarget target;
            StreamNode to = plan.graph().node(edge.targetId());
            Integer channelEdge = channelEdgeIndex.get(edge);
            if (channelEdge == null) {
                if (!(operators.get(to.id()) instanceof OneInputOperator<?> op)) {
                    throw new IllegalStateException("chained operator '" + to.name() + "' must have one input");
                }
                target = new ChainedTarget<>((OneInputOperator<Object>) op, metrics.counters(to.id(), subtask), to.name());
            } else {
                ChannelWriter writer = new ChannelWriter(outputChannels(spec, channelEdge), edge.partitioning(), subtask, config.maxParallelism(),
                        BatchSizer.of(plan.graph().recordType(edge), engine.bufferBytes(), engine.batchSize()),
                        cancellation, to.name());
                writers.add(writer);
                target = writer;
            }
            all.add(target);
            if (edge.sideOutput() == null) {
                main.add(target);
            } else {
                sides.computeIfAbsent(edge.sideOutput().id(), k -> new ArrayList<>()).add(target);
            }
        }
        Map<String, RecordTarget[]> sideArrays = new HashMap<>();
        sides.forEach((k, v) -> sideArrays.put(k, v.toArray(RecordTarget[]::new)));
        return new Output(main.toArray(RecordTarget[]::new), sideArrays, all.toArray(RecordTarget[]::new),
                metrics.counters(nodeId, subtask));
    }

    /** The channels the task writes on channel edge {@code edge}, one per consumer subtask, in consumer order. */
    private Channel[] outputChannels(TaskSpec spec, int edge) {
        for (TaskSpec.OutputChannels out : spec.outputs()) {
            if (out.edge() == edge) {
                return out.channels().stream().map(channels::get).toArray(Channel[]::new);
            }
        }
        throw new IllegalStateException("task " + spec.name() + " has no channels on edge " + edge);
    }
}
