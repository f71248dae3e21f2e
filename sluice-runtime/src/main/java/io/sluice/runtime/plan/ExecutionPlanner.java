package io.sluice.runtime.plan;

import io.sluice.api.graph.CheckpointConfig;
import io.sluice.api.graph.JobGraph;
import io.sluice.api.graph.OperatorSpec;
import io.sluice.api.graph.StreamEdge;
import io.sluice.api.graph.StreamNode;
import io.sluice.runtime.checkpoint.TaskKey;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.checkpoint.RestoredState;
import io.sluice.runtime.checkpoint.restore.JobShape;
import io.sluice.runtime.checkpoint.restore.OperatorShape;
import io.sluice.runtime.checkpoint.restore.RestoreAssigner;
import io.sluice.runtime.checkpoint.restore.RestoreAssignment;
import io.sluice.runtime.checkpoint.restore.SubtaskRestore;
import io.sluice.runtime.operator.factory.OperatorFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;

/**
 * Computes an attempt's {@link ExecutionPlan}: for every chain and subtask, its key-group range, the channels it reads
 * and writes, how it takes part in checkpoints, and what it restores ({@link RestoreAssigner} over the checkpoint the
 * attempt starts from).
 */
public final class ExecutionPlanner {
    private ExecutionPlanner() {}

    /** The plan of an attempt that starts without state. */
    public static ExecutionPlan plan(JobGraph graph, ChainLayout layout, int attempt) {
        return build(graph, layout, attempt, null);
    }

    /**
     * The plan of an attempt that restores {@code restored} (or starts without state if it is {@code null}).
     *
     * @throws IOException if the checkpoint cannot restore this job (a keyed operator's state missing, unreadable
     *                     splits), naming checkpoint and operator
     */
    public static ExecutionPlan plan(JobGraph graph, ChainLayout layout, int attempt, RestoredState restored)
            throws IOException {
        RestoreAssignment restore = restored == null ? null
                : RestoreAssigner.assign(restored, shapeOf(graph), uid -> userClassLoader(graph, uid));
        return build(graph, layout, attempt, restore);
    }

    /** What restore needs of a job: each operator's uid, name, parallelism, whether keyed or a source. */
    static JobShape shapeOf(JobGraph graph) {
        List<OperatorShape> operators = new ArrayList<>();
        for (StreamNode node : graph.nodes()) {
            operators.add(new OperatorShape(node.uid(), node.name(), node.parallelism(),
                    OperatorFactory.keyType(node.spec()) != null, node.spec() instanceof OperatorSpec.SourceSpec));
        }
        return new JobShape(graph.config().maxParallelism(), operators);
    }

    /** The class loader of operator {@code uid}'s user classes (its restored splits are read with it). */
    private static ClassLoader userClassLoader(JobGraph graph, String uid) {
        StreamNode node = graph.nodes().stream().filter(n -> n.uid().equals(uid)).findFirst().orElseThrow();
        return OperatorFactory.userObject(node.spec()).getClass().getClassLoader();
    }

    private static ExecutionPlan build(JobGraph graph, ChainLayout layout, int attempt, RestoreAssignment restore) {
        CheckpointConfig checkpointing = graph.checkpointing();
        TaskSpec.CheckpointSettings settings = new TaskSpec.CheckpointSettings(checkpointing != null,
                checkpointing == null || checkpointing.mode() == CheckpointConfig.Mode.EXACTLY_ONCE);
        int maxParallelism = graph.config().maxParallelism();
        List<TaskSpec> tasks = new ArrayList<>();
        for (ChainPlan chain : layout.chains()) {
            StreamNode head = graph.node(chain.headNodeId());
            String sourceUid = head.spec() instanceof OperatorSpec.SourceSpec ? head.uid() : null;
            for (int s = 0; s < chain.parallelism(); s++) {
                tasks.add(new TaskSpec(new TaskKey(chain.id(), s, attempt), chain.name(), chain.parallelism(),
                        chain.nodeIds(), KeyGroupRange.of(s, chain.parallelism(), maxParallelism),
                        inputs(layout, chain, s), outputs(layout, chain, s), sourceUid, settings,
                        restoreOf(graph, chain, s, restore), restore == null ? null : restore.location()));
            }
        }
        return new ExecutionPlan(graph, layout, attempt, tasks, restore);
    }

    /** By uid, what each operator of the chain's subtask restores. */
    private static Map<String, SubtaskRestore> restoreOf(JobGraph graph, ChainPlan chain, int subtask,
            RestoreAssignment restore) {
        Map<String, SubtaskRestore> mine = new HashMap<>();
        if (restore != null) {
            for (int nodeId : chain.nodeIds()) {
                String uid = graph.node(nodeId).uid();
                restore.operator(uid).ifPresent(op -> mine.put(uid, op.subtask(subtask)));
            }
        }
        return mine;
    }

    /** The channels into the chain's head, edge by edge (in edge order), producer by producer. */
    private static List<InputChannel> inputs(ChainLayout layout, ChainPlan chain, int subtask) {
        List<InputChannel> in = new ArrayList<>();
        List<StreamEdge> edges = layout.channelEdges();
        for (int e = 0; e < edges.size(); e++) {
            StreamEdge edge = edges.get(e);
            if (edge.targetId() == chain.headNodeId()) {
                int producers = layout.graph().node(edge.sourceId()).parallelism();
                for (int p = 0; p < producers; p++) {
                    in.add(new InputChannel(new ChannelId(e, p, subtask), edge.targetInput()));
                }
            }
        }
        return in;
    }

    /** The channels out of the chain's members, per channel edge leaving one of them. */
    private static List<TaskSpec.OutputChannels> outputs(ChainLayout layout, ChainPlan chain, int subtask) {
        List<TaskSpec.OutputChannels> out = new ArrayList<>();
        List<StreamEdge> edges = layout.channelEdges();
        for (int e = 0; e < edges.size(); e++) {
            StreamEdge edge = edges.get(e);
            if (chain.nodeIds().contains(edge.sourceId())) {
                int consumers = layout.graph().node(edge.targetId()).parallelism();
                List<ChannelId> channels = new ArrayList<>(consumers);
                for (int q = 0; q < consumers; q++) {
                    channels.add(new ChannelId(e, subtask, q));
                }
                out.add(new TaskSpec.OutputChannels(e, channels));
            }
        }
        return out;
    }
}
