package io.sluice.runtime.plan;

import io.sluice.api.graph.CheckpointConfig;
import io.sluice.api.graph.JobGraph;
import io.sluice.api.graph.OperatorSpec;
import io.sluice.api.graph.StreamEdge;
import io.sluice.api.graph.StreamNode;
import io.sluice.runtime.checkpoint.TaskKey;
import io.sluice.runtime.state.KeyGroupRange;
import java.util.ArrayList;
import java.util.List;

/**
 * Computes an attempt's {@link ExecutionPlan}: for every chain and subtask, its key-group range, the channels it reads
 * and writes, and how it takes part in checkpoints.
 */
public final class ExecutionPlanner {
    private ExecutionPlanner() {}

    public static ExecutionPlan plan(JobGraph graph, ChainLayout layout, int attempt) {
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
                        inputs(layout, chain, s), outputs(layout, chain, s), sourceUid, settings));
            }
        }
        return new ExecutionPlan(graph, layout, attempt, tasks);
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
