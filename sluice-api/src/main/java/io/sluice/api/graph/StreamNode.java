package io.sluice.api.graph;

import io.sluice.api.types.TypeSerializer;
import java.io.Serializable;

/**
 * One operator of the logical job graph.
 *
 * @param id          unique within the graph, in creation order (a node's inputs have smaller ids)
 * @param name        for people: logs, thread names, metrics
 * @param uid         stable identity across job versions, used to match state on restore
 * @param parallelism number of parallel subtasks
 * @param spec        what it does
 * @param outputType  serializer of its main output (for a sink: of its input)
 */
public record StreamNode(int id, String name, String uid, int parallelism, OperatorSpec spec, TypeSerializer<?> outputType)
        implements Serializable {}
