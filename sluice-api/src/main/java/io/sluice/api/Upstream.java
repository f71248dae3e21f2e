package io.sluice.api;

import io.sluice.api.functions.OutputTag;
import io.sluice.api.graph.Partitioning;
import java.util.List;

/** Where a stream's records come from: a node's main or side output, and how to spread them. Internal. */
record Upstream(int nodeId, OutputTag<?> sideOutput, Partitioning partitioning) {

    static List<Upstream> main(int nodeId) {
        return List.of(new Upstream(nodeId, null, new Partitioning.Auto()));
    }

    Upstream with(Partitioning p) {
        return new Upstream(nodeId, sideOutput, p);
    }
}
