package io.sluice.api;

import io.sluice.api.graph.RestartStrategy;
import io.sluice.api.graph.CheckpointConfig;
import io.sluice.api.graph.JobConfig;
import io.sluice.api.graph.JobGraph;
import io.sluice.api.graph.OperatorSpec;
import io.sluice.api.graph.Partitioning;
import io.sluice.api.graph.StreamEdge;
import io.sluice.api.graph.StreamNode;
import io.sluice.api.types.TypeSerializer;
import io.sluice.api.types.UnsupportedTypeException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Collects nodes and edges while a job is defined, then checks them and freezes them into a {@link JobGraph}. */
final class GraphBuilder {

    /** A node still being configured by the fluent API. */
    static final class NodeDraft {
        final int id;
        String name;
        String uid;
        int parallelism;
        final OperatorSpec spec;
        TypeSerializer<?> outputType;
        String typeProblem;

        NodeDraft(int id, String name, int parallelism, OperatorSpec spec, TypeSerializer<?> outputType, String typeProblem) {
            this.id = id;
            this.name = name;
            this.parallelism = parallelism;
            this.spec = spec;
            this.outputType = outputType;
            this.typeProblem = typeProblem;
        }
    }

    private record EdgeDraft(Upstream from, int targetId, int targetInput) {}

    private final List<NodeDraft> nodes = new ArrayList<>();
    private final List<EdgeDraft> edges = new ArrayList<>();

    int addNode(String name, int parallelism, OperatorSpec spec, TypeSerializer<?> outputType, String typeProblem) {
        int id = nodes.size();
        nodes.add(new NodeDraft(id, name, parallelism, spec, outputType, typeProblem));
        return id;
    }

    void connect(List<Upstream> from, int targetId, int targetInput) {
        for (Upstream u : from) {
            edges.add(new EdgeDraft(u, targetId, targetInput));
        }
    }

    NodeDraft node(int id) {
        return nodes.get(id);
    }

    JobGraph build(String jobName, JobConfig config, CheckpointConfig checkpointing, RestartStrategy restartStrategy) {
        if (nodes.isEmpty()) {
            throw new IllegalStateException("The job '" + jobName + "' has no operators: add a source and a sink");
        }
        List<StreamNode> built = new ArrayList<>();
        Set<String> uids = new HashSet<>();
        for (NodeDraft n : nodes) {
            if (n.outputType == null) {
                throw new UnsupportedTypeException("The output type of operator '" + n.name + "' cannot be determined: "
                        + n.typeProblem + ". Fix: call .returns(...) right after it, e.g. .returns(Types.STRING)"
                        + " or .returns(Types.of(MyRecord.class))");
            }
            if (n.parallelism > config.maxParallelism()) {
                throw new IllegalArgumentException("Operator '" + n.name + "' has parallelism " + n.parallelism
                        + ", above the job's maxParallelism " + config.maxParallelism());
            }
            String uid = n.uid != null ? n.uid : defaultUid(n);
            if (!uids.add(uid)) {
                throw new IllegalArgumentException("Two operators have the uid '" + uid + "': uids must be unique");
            }
            built.add(new StreamNode(n.id, n.name, uid, n.parallelism, n.spec, n.outputType));
        }
        List<StreamEdge> builtEdges = new ArrayList<>();
        for (EdgeDraft e : edges) {
            NodeDraft source = nodes.get(e.from.nodeId());
            NodeDraft target = nodes.get(e.targetId);
            builtEdges.add(new StreamEdge(source.id, target.id, resolve(e.from.partitioning(), source, target),
                    e.targetInput, e.from.sideOutput()));
        }
        for (NodeDraft n : nodes) {
            boolean isSource = n.spec instanceof OperatorSpec.SourceSpec;
            boolean hasInput = builtEdges.stream().anyMatch(e -> e.targetId() == n.id);
            if (!isSource && !hasInput) {
                throw new IllegalStateException("Operator '" + n.name + "' has no input");
            }
        }
        return new JobGraph(jobName, built, builtEdges, config, checkpointing, restartStrategy);
    }

    private static Partitioning resolve(Partitioning p, NodeDraft source, NodeDraft target) {
        if (p instanceof Partitioning.Auto) {
            return source.parallelism == target.parallelism ? new Partitioning.Forward() : new Partitioning.Rebalance();
        }
        if (p instanceof Partitioning.Forward && source.parallelism != target.parallelism) {
            throw new IllegalArgumentException("forward() from '" + source.name + "' (parallelism " + source.parallelism
                    + ") to '" + target.name + "' (parallelism " + target.parallelism
                    + ") needs equal parallelism; use rebalance() instead");
        }
        return p;
    }

    /** A uid derived from the job's structure: the operator kind and its position in definition order. */
    private static String defaultUid(NodeDraft n) {
        return n.spec.kind().toLowerCase(Locale.ROOT) + "-" + n.id;
    }
}
