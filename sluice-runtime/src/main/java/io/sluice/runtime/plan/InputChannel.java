package io.sluice.runtime.plan;

/**
 * A channel a task reads, and which input of its head operator it feeds.
 *
 * @param channel     the channel
 * @param targetInput 0 for one-input heads and the first input of two-input ones, 1 for the second
 */
public record InputChannel(ChannelId channel, int targetInput) {}
