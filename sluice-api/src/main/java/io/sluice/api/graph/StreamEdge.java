package io.sluice.api.graph;

import io.sluice.api.functions.OutputTag;
import java.io.Serializable;

/**
 * A data connection between two nodes.
 *
 * @param sourceId     the producing node
 * @param targetId     the consuming node
 * @param partitioning how records are spread over the target's subtasks (never {@code Auto} in a built graph)
 * @param targetInput  0 for one-input targets and the first input of two-input ones, 1 for the second
 * @param sideOutput   the side output carried, or {@code null} for the main output
 */
public record StreamEdge(int sourceId, int targetId, Partitioning partitioning, int targetInput, OutputTag<?> sideOutput)
        implements Serializable {}
