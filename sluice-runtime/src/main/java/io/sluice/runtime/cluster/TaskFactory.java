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
import io.sluice.runtime.checkpoint.OperatorSubtaskState;
import io.sluice.runtime.checkpoint.RestoredState;
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

    /** Checks and prepares everything that can fail before a thread starts: user objects, source splits. */
    void prepare() throws Exception {
        for (StreamNode node : plan.graph().nodes()) {
            Object user = OperatorFactory.userObject(node.spec());
            userObjects.put(node.id(), new UserObjects(user, node.name()));
            if (node.spec() instanceof OperatorSpec.SourceSpec sourceSpec) {
                Source<?, ?> source = sourceSpec.source();
                sourceStrategies.put(node.id(), new UserObjects(sourceSpec.watermarkStrategy(), node.name()));
                List<? extends SourceSplit> splits;
                try {
                    splits = restored != null && !restored.of(node.uid()).isEmpty()
                            ? restoredSplits(node) : source.createSplits(node.parallelism());
                } catch (Exception e) {
                    throw new IllegalArgumentException("Source '" + node.name() + "' cannot start: " + e.getMessage(), e);
                }
                List<List<? extends SourceSplit>> assigned = new ArrayList<>();
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

    /** The splits every old subtask of a source held at the checkpoint, with their positions, to deal out again. */
    private List<SourceSplit> restoredSplits(StreamNode node) throws IOException, ClassNotFoundException {
        List<SourceSplit> all = new ArrayList<>();
        ClassLoader loader = OperatorFactory.userObject(node.spec()).getClass().getClassLoader();
        for (OperatorSubtaskState state : restored.of(node.uid())) {
            if (state.splits() == null) {
                continue;
            }
            for (Object split : (List<?>) io.sluice.runtime.serialization.UserClassObjectInput.read(state.splits(), loader)) {
                all.add((SourceSplit) split);
            }
        }
        return all;
    }

    /** Loads a restored operator's keyed and operator state into a new subtask's backends. */
    private void restoreInto(StreamNode node, int subtask, int parallelism, KeyedStateBackend backend,
            OperatorStateStore operatorState) throws IOException {
        if (restored == null) {
            return;
        }
        List<OperatorSubtaskState> states = restored.of(node.uid());
        if (states.isEmpty()) {
            if (backend != null && restored.holdsEveryOperator()) {
                // Not a new operator (this execution took the checkpoint): its key groups would restore empty.
                throw new IOException("checkpoint " + restored.checkpointId() + " holds no state of keyed operator '"
                        + node.name() + "' (uid " + node.uid() + "), which this job's checkpoints always hold: "
                        + "its key groups would restore empty");
            }
            return;
        }
        if (backend != null) {
            requireEverySubtask(node, states);
            for (OperatorSubtaskState s : states) {
                if (s.keyed() == null) {
                    continue;
                }
                try {
                    backend.checkRestorable(s.keyed());
                } catch (IOException e) {
                    throw new IOException("checkpoint " + restored.checkpointId() + ": the keyed state of operator '"
                            + node.name() + "' (uid " + node.uid() + "), subtask " + (s.subtask() + 1) + "/" + s.parallelism()
                            + ", cannot be restored: " + e.getMessage(), e);
                }
            }
            backend.restore(states.stream().map(OperatorSubtaskState::keyed).filter(java.util.Objects::nonNull).toList());
        }
        Map<Integer, io.sluice.runtime.state.operator.OperatorStateSnapshot> bySubtask = new java.util.TreeMap<>();
        for (OperatorSubtaskState s : states) {
            bySubtask.put(s.subtask(), s.operator());
        }
        operatorState.restore(bySubtask, states.getFirst().parallelism(), subtask, parallelism);
    }

    /**
     * A keyed operator's key groups are spread over all its old subtasks: a checkpoint missing one of them would
     * restore those key groups empty, silently. Fails the restore instead, naming what is missing.
     */
    private void requireEverySubtask(StreamNode node, List<OperatorSubtaskState> states) throws IOException {
        int oldParallelism = states.getFirst().parallelism();
        java.util.BitSet present = new java.util.BitSet(oldParallelism);
        states.forEach(s -> present.set(s.subtask()));
        if (present.cardinality() != oldParallelism) {
            java.util.BitSet missing = new java.util.BitSet(oldParallelism);
            missing.set(0, oldParallelism);
            missing.andNot(present);
            throw new IOException("checkpoint " + restored.checkpointId() + " holds no state of subtask(s) " + missing
                    + " (of " + oldParallelism + ") of keyed operator '" + node.name() + "' (uid " + node.uid()
                    + "): their key groups would restore empty");
        }
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
            restoreInto(node, subtask, p, backend, operatorState);
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
