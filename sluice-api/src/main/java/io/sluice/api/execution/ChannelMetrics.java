package io.sluice.api.execution;

/**
 * Occupancy of the channels between two operators.
 *
 * @param from               producing operator
 * @param to                 consuming operator
 * @param channels           number of channels (producer subtasks × consumer subtasks)
 * @param capacityBatches    capacity of each channel, in batches (and events), each batch at most one buffer of
 *                           serialized records: the unit of a network channel's credits
 * @param maxOccupiedBatches the most batches any one of them held at once
 */
public record ChannelMetrics(String from, String to, int channels, int capacityBatches, int maxOccupiedBatches) {}
