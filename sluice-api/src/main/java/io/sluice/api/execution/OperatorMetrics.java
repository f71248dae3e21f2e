package io.sluice.api.execution;

/**
 * Record counts of one operator, summed over its subtasks.
 *
 * @param name       the operator's name
 * @param recordsIn  records it processed (for a source: records it read)
 * @param recordsOut records it emitted to its main and side outputs
 */
public record OperatorMetrics(int nodeId, String name, long recordsIn, long recordsOut) {}
