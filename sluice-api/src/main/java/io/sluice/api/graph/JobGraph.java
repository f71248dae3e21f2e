package io.sluice.api.graph;

import java.io.Serializable;
import java.util.List;

/**
 * The logical job: operators and the edges between them, as plain serializable data. The API builds it; a
 * runtime plans and runs it (in this JVM now, shipped to worker processes later).
 *
 * @param name   the job's name
 * @param nodes  in id order; every edge goes from a smaller id to a larger one
 * @param edges  data connections
 * @param config the job's settings: key groups, watermark interval, state backend (engine tuning is the executor's)
 * @param checkpointing how checkpoints are taken, or {@code null} for none
 * @param restartStrategy what happens when the job fails
 */
public record JobGraph(String name, List<StreamNode> nodes, List<StreamEdge> edges, JobConfig config,
        CheckpointConfig checkpointing, io.sluice.api.graph.RestartStrategy restartStrategy) implements Serializable {
    public JobGraph {
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
        java.util.Objects.requireNonNull(restartStrategy, "restartStrategy");
    }

    /** A job without checkpoints, which does not restart. */
    public JobGraph(String name, List<StreamNode> nodes, List<StreamEdge> edges, JobConfig config) {
        this(name, nodes, edges, config, null, io.sluice.api.graph.RestartStrategy.none());
    }

    public StreamNode node(int id) {
        for (StreamNode n : nodes) {
            if (n.id() == id) {
                return n;
            }
        }
        throw new IllegalArgumentException("no node " + id);
    }

    public List<StreamEdge> inputsOf(int nodeId) {
        return edges.stream().filter(e -> e.targetId() == nodeId).toList();
    }

    public List<StreamEdge> outputsOf(int nodeId) {
        return edges.stream().filter(e -> e.sourceId() == nodeId).toList();
    }

    /** The serializer of what {@code edge} carries: its side output's type, or its producer's output type. */
    public io.sluice.api.types.TypeSerializer<?> recordType(StreamEdge edge) {
        return edge.sideOutput() != null ? edge.sideOutput().type() : node(edge.sourceId()).outputType();
    }
}
