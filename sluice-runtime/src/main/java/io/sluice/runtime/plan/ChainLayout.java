package io.sluice.runtime.plan;

import io.sluice.api.graph.JobGraph;
import io.sluice.api.graph.StreamEdge;
import java.util.List;
import java.util.Map;

/**
 * How a job graph is cut into chains: its chains, and which edges are direct calls inside a chain and which need channels
 * between tasks.
 *
 * @param graph          the job graph
 * @param chains         the chains, heads in ascending node id order
 * @param chainOfNode    node id → chain id
 * @param chainedEdges   edges inside a chain
 * @param channelEdges   edges between chains
 */
public record ChainLayout(JobGraph graph, List<ChainPlan> chains, Map<Integer, Integer> chainOfNode,
        List<StreamEdge> chainedEdges, List<StreamEdge> channelEdges) {

    public ChainPlan chainOf(int nodeId) {
        return chains.get(chainOfNode.get(nodeId));
    }
}
