package io.sluice.runtime.plan;

/**
 * One channel between two tasks: edge {@code edge} of the plan's channel edges, from producer subtask
 * {@code producer} to consumer subtask {@code consumer}. Every pair of subtasks an edge connects has one.
 */
public record ChannelId(int edge, int producer, int consumer) {}
