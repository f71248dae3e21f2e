package io.sluice.runtime.plan;

import io.sluice.api.graph.JobGraph;
import io.sluice.api.graph.OperatorSpec;
import io.sluice.api.graph.Partitioning;
import io.sluice.api.graph.StreamEdge;
import io.sluice.api.graph.StreamNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Groups operators into chains. An operator joins its input's chain when it has exactly one input edge, the same
 * parallelism, and the edge sends subtask i to subtask i: a forward edge, or any edge at parallelism 1 (where
 * every partitioning has one target, so even a keyBy needs no channel).
 *
 * <p>Why: a record then travels one way through as few hands as possible: a method call per operator, no
 * batch, no queue, no thread hop. Channels remain only where data really moves between subtasks.
 */
public final class ChainPlanner {
    private ChainPlanner() {}

    public static ChainLayout plan(JobGraph graph) {
        Map<Integer, Integer> chainOf = new HashMap<>();
        List<List<Integer>> members = new ArrayList<>();
        List<StreamEdge> chained = new ArrayList<>();
        List<StreamEdge> channels = new ArrayList<>();
        for (StreamNode node : graph.nodes()) {
            List<StreamEdge> inputs = graph.inputsOf(node.id());
            if (inputs.size() == 1 && isChainable(inputs.getFirst(), graph)) {
                int chain = chainOf.get(inputs.getFirst().sourceId());
                chainOf.put(node.id(), chain);
                members.get(chain).add(node.id());
                chained.add(inputs.getFirst());
            } else {
                chainOf.put(node.id(), members.size());
                members.add(new ArrayList<>(List.of(node.id())));
                channels.addAll(inputs);
            }
        }
        List<ChainPlan> chains = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            List<Integer> ids = List.copyOf(members.get(i));
            String name = ids.stream().map(id -> graph.node(id).name()).collect(Collectors.joining(" -> "));
            chains.add(new ChainPlan(i, name, graph.node(ids.getFirst()).parallelism(), ids));
        }
        return new ChainLayout(graph, List.copyOf(chains), Map.copyOf(chainOf), List.copyOf(chained), List.copyOf(channels));
    }

    private static boolean isChainable(StreamEdge edge, JobGraph graph) {
        StreamNode from = graph.node(edge.sourceId());
        StreamNode to = graph.node(edge.targetId());
        if (to.spec() instanceof OperatorSpec.SourceSpec || to.spec() instanceof OperatorSpec.CoProcessSpec) {
            return false;
        }
        if (from.parallelism() != to.parallelism()) {
            return false;
        }
        return edge.partitioning() instanceof Partitioning.Forward || to.parallelism() == 1;
    }
}
