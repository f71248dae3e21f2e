package io.sluice.runtime.plan;

import io.sluice.api.graph.JobGraph;
import io.sluice.api.graph.StreamEdge;
import java.util.List;

/**
 * How one attempt of a job runs: its chains and one {@link TaskSpec} per task. Computed once per attempt on the
 * coordinator side ({@link ExecutionPlanner}); the only input of deployment.
 *
 * @param graph   the job graph (user functions, edges)
 * @param layout  the chains and which edges are channels
 * @param attempt the attempt's number: 0 for the first run, counting restarts
 * @param tasks   every task of the attempt, chain by chain, subtasks in order
 */
public record ExecutionPlan(JobGraph graph, ChainLayout layout, int attempt, List<TaskSpec> tasks) {
    public ExecutionPlan {
        tasks = List.copyOf(tasks);
    }

    /** The channel edge with index {@code edge} ({@link ChannelId#edge()}). */
    public StreamEdge channelEdge(int edge) {
        return layout.channelEdges().get(edge);
    }

    /** The chain whose head is node {@code nodeId}'s chain. */
    public ChainPlan chainOf(int nodeId) {
        return layout.chainOf(nodeId);
    }
}
