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
import io.sluice.runtime.channel.Channel;
import io.sluice.runtime.channel.ChannelWriter;
import io.sluice.runtime.channel.InProcessChannel;
import io.sluice.runtime.channel.Wakeup;
import io.sluice.runtime.eventtime.SourceOutputs;
import io.sluice.runtime.operator.ChainedTarget;
import io.sluice.runtime.operator.OneInputOperator;
import io.sluice.runtime.operator.OperatorCounters;
import io.sluice.runtime.operator.OperatorFactory;
import io.sluice.runtime.operator.OperatorSetup;
import io.sluice.runtime.operator.Output;
import io.sluice.runtime.operator.RecordTarget;
import io.sluice.runtime.operator.StreamOperator;
import io.sluice.runtime.plan.ChainPlan;
import io.sluice.runtime.plan.ExecutionPlan;
import io.sluice.api.types.TypeSerializer;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyedStateBackend;
import io.sluice.runtime.state.heap.HeapKeyedStateBackend;
import io.sluice.runtime.state.operator.OperatorStateStore;
import io.sluice.runtime.task.Mailbox;
import io.sluice.runtime.task.MailboxProcessingTime;
import io.sluice.runtime.timer.ProcessingTimeService;
import java.util.concurrent.ScheduledExecutorService;
import io.sluice.runtime.task.Cancellation;
import io.sluice.runtime.task.ChainMember;
import io.sluice.runtime.task.Task;
import io.sluice.runtime.task.TaskInputs;
import io.sluice.runtime.task.TaskListener;
import io.sluice.runtime.checkpoint.RestoredState;
import io.sluice.runtime.checkpoint.restore.JobShape;
import io.sluice.runtime.checkpoint.restore.OperatorRestore;
import io.sluice.runtime.checkpoint.restore.OperatorShape;
import io.sluice.runtime.checkpoint.restore.RestoreAssigner;
import io.sluice.runtime.checkpoint.restore.RestoreAssignment;
import io.sluice.runtime.checkpoint.restore.RestoredKeyedState;
import io.sluice.runtime.checkpoint.restore.SubtaskRestore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the tasks of a plan in this JVM: one per chain and subtask, with fresh operators, in-process channels
 * for every edge between chains, and the outputs that connect them. Runs on the submitting thread.
 */
final class TaskFactory {
    private final ExecutionPlan plan;
    private final JobConfig config;
    private final Cancellation cancellation;
    private final TaskListener listener;
    private final JobMetrics metrics;
    private final ScheduledExecutorService timerThread;
    /** The checkpoint this run starts from, or {@code null}. */
    private final RestoredState restored;
    /** What each subtask restores from {@link #restored}, computed in {@link #prepare()}; {@code null} without one. */
    private RestoreAssignment restoreAssignment;
    /** The finalizer of an operator (uid) in a subtask. */
    private final java.util.function.BiFunction<String, Integer, io.sluice.runtime.operator.JobFinalizer> finalizers;
    private final Map<Integer, UserObjects> userObjects = new HashMap<>();
    private final Map<Integer, List<List<? extends SourceSplit>>> splitsBySubtask = new HashMap<>();
    /** Per source node: its watermark strategy, copied per subtask like the source itself. */
    private final Map<Integer, UserObjects> sourceStrategies = new HashMap<>();
    /**
     * Per channel edge: channels[producer][consumer]. By identity: {@code a.union(a)} gives two equal edges, and each
     * needs channels of its own.
     */
    private final Map<StreamEdge, Channel[][]> channels = new java.util.IdentityHashMap<>();
    /** Per chain: one wakeup per subtask. */
    private final Map<Integer, Wakeup[]> wakeups = new HashMap<>();

    TaskFactory(ExecutionPlan plan, Cancellation cancellation, TaskListener listener, JobMetrics metrics,
            ScheduledExecutorService timerThread, RestoredState restored,
            java.util.function.BiFunction<String, Integer, io.sluice.runtime.operator.JobFinalizer> finalizers) {
        this.restored = restored;
        this.finalizers = finalizers;
        this.timerThread = timerThread;
        this.plan = plan;
        this.config = plan.graph().config();
        this.cancellation = cancellation;
        this.listener = listener;
        this.metrics = metrics;
    }

    /**
     * Checks and prepares everything that can fail before a thread starts: what each subtask restores, user objects,
     * source splits.
     */
    void prepare() throws Exception {
        restoreAssignment = restored == null ? null : RestoreAssigner.assign(restored, jobShape(), this::splitClassLoader);
        for (StreamNode node : plan.graph().nodes()) {
            Object user = OperatorFactory.userObject(node.spec());
            userObjects.put(node.id(), new UserObjects(user, node.name()));
            if (node.spec() instanceof OperatorSpec.SourceSpec sourceSpec) {
                Source<?, ?> source = sourceSpec.source();
                sourceStrategies.put(node.id(), new UserObjects(sourceSpec.watermarkStrategy(), node.name()));
                List<List<? extends SourceSplit>> assigned = new ArrayList<>();
                var restoredSource = restoreOf(node);
                if (restoredSource.isPresent()) { // the splits its old subtasks held, with positions, dealt already
                    restoredSource.get().subtasks().forEach(s -> assigned.add(new ArrayList<>(s.splits())));
                    splitsBySubtask.put(node.id(), assigned);
                    continue;
                }
                List<? extends SourceSplit> splits;
                try {
                    splits = source.createSplits(node.parallelism());
                } catch (Exception e) {
                    throw new IllegalArgumentException("Source '" + node.name() + "' cannot start: " + e.getMessage(), e);
                }
                for (int s = 0; s < node.parallelism(); s++) {
                    assigned.add(new ArrayList<>());
                }
                for (int i = 0; i < splits.size(); i++) {
                    addSplit(assigned.get(i % node.parallelism()), splits.get(i));
                }
                splitsBySubtask.put(node.id(), assigned);
            }
        }
        for (ChainPlan chain : plan.chains()) {
            Wakeup[] w = new Wakeup[chain.parallelism()];
            for (int s = 0; s < w.length; s++) {
                w[s] = new Wakeup();
            }
            wakeups.put(chain.id(), w);
        }
        for (StreamEdge edge : plan.channelEdges()) {
            int producers = plan.graph().node(edge.sourceId()).parallelism();
            int consumers = plan.graph().node(edge.targetId()).parallelism();
            Wakeup[] consumerWakeups = wakeups.get(plan.chainOfNode().get(edge.targetId()));
            Channel[][] c = new Channel[producers][consumers];
            for (int p = 0; p < producers; p++) {
                for (int q = 0; q < consumers; q++) {
                    c[p][q] = new InProcessChannel(config.channelCapacity(), consumerWakeups[q]);
                }
            }
            channels.put(edge, c);
            metrics.addChannels(plan.graph().node(edge.sourceId()).name(), plan.graph().node(edge.targetId()).name(), c);
        }
    }

    /** What restore needs of this plan: each operator's uid, name, parallelism, whether keyed or a source. */
    private JobShape jobShape() {
        List<OperatorShape> operators = new ArrayList<>();
        for (StreamNode node : plan.graph().nodes()) {
            operators.add(new OperatorShape(node.uid(), node.name(), node.parallelism(),
                    OperatorFactory.keyType(node.spec()) != null, node.spec() instanceof OperatorSpec.SourceSpec));
        }
        return new JobShape(config.maxParallelism(), operators);
    }

    /** The class loader of a source's classes, which its restored splits are read with. */
    private ClassLoader splitClassLoader(String uid) {
        StreamNode node = plan.graph().nodes().stream().filter(n -> n.uid().equals(uid)).findFirst().orElseThrow();
        return OperatorFactory.userObject(node.spec()).getClass().getClassLoader();
    }

    /** What the operator {@code node} restores, or empty if it starts without state. */
    private java.util.Optional<OperatorRestore> restoreOf(StreamNode node) {
        return restoreAssignment == null ? java.util.Optional.empty() : restoreAssignment.operator(node.uid());
    }

    /** Loads what the restore assignment gives this subtask of a restored operator into its keyed and operator state. */
    private void restoreInto(StreamNode node, int subtask, KeyedStateBackend backend, OperatorStateStore operatorState)
            throws IOException {
        var operator = restoreOf(node);
        if (operator.isEmpty()) {
            return;
        }
        SubtaskRestore mine = operator.get().subtask(subtask);
        if (backend != null) {
            for (RestoredKeyedState s : mine.keyed()) {
                try {
                    backend.checkRestorable(s.snapshot());
                } catch (IOException e) {
                    throw new IOException("checkpoint " + restoreAssignment.checkpointId() + ": the keyed state of operator '"
                            + node.name() + "' (uid " + node.uid() + "), subtask " + (s.subtask() + 1) + "/" + s.parallelism()
                            + ", cannot be restored: " + e.getMessage(), e);
                }
            }
            backend.restore(mine.keyed().stream().map(RestoredKeyedState::snapshot).toList());
        }
        operatorState.restore(mine.operator(), subtask);
    }

    @SuppressWarnings("unchecked")
    private static <S extends SourceSplit> void addSplit(List<? extends SourceSplit> list, S split) {
        ((List<S>) list).add(split);
    }

    List<Task> createTasks() throws Exception {
        List<Task> tasks = new ArrayList<>();
        for (ChainPlan chain : plan.chains()) {
            for (int s = 0; s < chain.parallelism(); s++) {
                tasks.add(createTask(chain, s));
            }
        }
        return tasks;
    }

    private Task createTask(ChainPlan chain, int subtask) throws Exception {
        int p = chain.parallelism();
        Map<Integer, StreamOperator> operators = new HashMap<>();
        Map<Integer, Object> userCopies = new HashMap<>();
        for (int nodeId : chain.nodeIds()) {
            StreamNode node = plan.graph().node(nodeId);
            Object user = userObjects.get(nodeId).copy();
            userCopies.put(nodeId, user);
            if (!(node.spec() instanceof OperatorSpec.SourceSpec)) {
                operators.put(nodeId, OperatorFactory.create(node, user, config));
            }
        }
        List<ChannelWriter> writers = new ArrayList<>();
        Map<Integer, Output> outputs = new HashMap<>();
        for (int nodeId : chain.nodeIds()) {
            outputs.put(nodeId, buildOutput(nodeId, subtask, operators, writers));
        }
        Wakeup wakeup = wakeups.get(chain.id())[subtask];
        Mailbox mailbox = new Mailbox(wakeup);
        ProcessingTimeService processingTime = new MailboxProcessingTime(timerThread, mailbox);
        List<ChainMember> members = new ArrayList<>();
        for (int nodeId : chain.nodeIds()) {
            StreamOperator op = operators.get(nodeId);
            if (op == null) {
                continue;
            }
            StreamNode node = plan.graph().node(nodeId);
            KeyedStateBackend backend = keyedBackend(node, subtask, p, processingTime);
            OperatorStateStore operatorState = new OperatorStateStore();
            restoreInto(node, subtask, backend, operatorState);
            members.add(new ChainMember(node.name(), node.uid(), op, new OperatorSetup(node.name(), subtask, p,
                    config.maxParallelism(), outputs.get(nodeId), backend, operatorState, processingTime,
                    finalizers.apply(node.uid(), subtask))));
        }
        StreamNode head = plan.graph().node(chain.headNodeId());
        var input = head.spec() instanceof OperatorSpec.SourceSpec
                ? sourceInput(head, subtask, userCopies.get(head.id()), outputs.get(head.id()), processingTime)
                : gateInput(chain, subtask, operators.get(head.id()));
        return new Task(chain.name(), subtask, p, members, input, writers, wakeup, mailbox, cancellation,
                listener, config.flushIntervalMillis());
    }

    /** The keyed state backend of a keyed operator, or {@code null} for others. */
    private KeyedStateBackend keyedBackend(StreamNode node, int subtask, int parallelism, ProcessingTimeService time) {
        TypeSerializer<?> keyType = OperatorFactory.keyType(node.spec());
        if (keyType == null) {
            return null;
        }
        KeyGroupRange range = KeyGroupRange.of(subtask, parallelism, config.maxParallelism());
        if (config.stateBackend().equals("heap")) {
            return new HeapKeyedStateBackend(range, config.maxParallelism(), keyType, time::currentTime);
        }
        try {
            return io.sluice.runtime.state.KeyedStateBackendFactory.named(config.stateBackend())
                    .create(range, config.maxParallelism(), keyType, time::currentTime, config.stateBackendOptions());
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the " + config.stateBackend() + " state backend of '" + node.name()
                    + "' (subtask " + (subtask + 1) + "/" + parallelism + "): " + e.getMessage(), e);
        }
    }

    /** A source reader's input, emitting through per-split outputs that generate the source's watermarks. */
    private io.sluice.runtime.task.TaskInput sourceInput(StreamNode node, int subtask, Object sourceCopy, Output output,
            ProcessingTimeService time) throws Exception {
        List<String> splitIds = splitsBySubtask.get(node.id()).get(subtask).stream().map(SourceSplit::splitId).toList();
        WatermarkStrategy<?> strategy = (WatermarkStrategy<?>) sourceStrategies.get(node.id()).copy();
        SourceOutputs sourceOutputs = new SourceOutputs(output, strategy, time, config.autoWatermarkIntervalMillis(), splitIds);
        return TaskInputs.source(createReader(node, subtask, sourceCopy), sourceOutputs, node.name());
    }

    @SuppressWarnings("unchecked")
    private SourceReader<Object, ?> createReader(StreamNode node, int subtask, Object sourceCopy) throws Exception {
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
        });
        reader.addSplits((List<SourceSplit>) splitsBySubtask.get(node.id()).get(subtask));
        return reader;
    }

    private io.sluice.runtime.task.TaskInput gateInput(ChainPlan chain, int subtask, StreamOperator head) {
        List<Channel> in = new ArrayList<>();
        List<Integer> inputIndex = new ArrayList<>();
        for (var e : channels.entrySet()) {
            if (e.getKey().targetId() == chain.headNodeId()) {
                for (Channel[] fromProducer : e.getValue()) {
                    in.add(fromProducer[subtask]);
                    inputIndex.add(e.getKey().targetInput());
                }
            }
        }
        StreamNode node = plan.graph().node(chain.headNodeId());
        return TaskInputs.channels(in.toArray(Channel[]::new), inputIndex.stream().mapToInt(Integer::intValue).toArray(),
                head, metrics.counters(node.id(), subtask), node.name());
    }

    @SuppressWarnings("unchecked")
    private Output buildOutput(int nodeId, int subtask, Map<Integer, StreamOperator> operators, List<ChannelWriter> writers) {
        List<RecordTarget> main = new ArrayList<>();
        Map<String, List<RecordTarget>> sides = new HashMap<>();
        List<RecordTarget> all = new ArrayList<>();
        for (StreamEdge edge : plan.graph().outputsOf(nodeId)) {
            RecordTarget target;
            StreamNode to = plan.graph().node(edge.targetId());
            if (plan.chainedEdges().contains(edge)) {
                if (!(operators.get(to.id()) instanceof OneInputOperator<?> op)) {
                    throw new IllegalStateException("chained operator '" + to.name() + "' must have one input");
                }
                target = new ChainedTarget<>((OneInputOperator<Object>) op, metrics.counters(to.id(), subtask), to.name());
            } else {
                Channel[][] c = channels.get(edge);
                ChannelWriter writer = new ChannelWriter(c[subtask], edge.partitioning(), subtask, config.maxParallelism(),
                        config.batchSize(), cancellation, to.name());
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

}
