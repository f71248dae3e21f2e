package io.sluice.runtime.cluster;

import io.sluice.api.graph.StreamEdge;
import io.sluice.runtime.channel.Channel;
import io.sluice.runtime.channel.InProcessChannel;
import io.sluice.runtime.channel.Wakeup;
import io.sluice.runtime.plan.ChannelId;

/**
 * Makes the channels of the tasks a process hosts: in-process when both ends are here, a network channel's end when
 * only one is. Called while tasks are built, on the deploying thread.
 */
public interface ChannelProvider {

    /**
     * The channel {@code id} of {@code edge}, with at least one end in this process.
     *
     * @param producerHere whether the producing subtask runs here (it writes the returned channel)
     * @param consumerHere whether the consuming subtask runs here (it reads the returned channel, woken by
     *                     {@code consumerWakeup})
     * @param capacity     the engine's channel capacity for an in-process channel: elements, each event or batch of at
     *                     most one buffer ({@code EngineConfig.channelCapacity})
     */
    Channel channel(ChannelId id, StreamEdge edge, boolean producerHere, boolean consumerHere, Wakeup consumerWakeup,
            int capacity) throws Exception;

    /** Every channel in this process: the embedded cluster. */
    ChannelProvider IN_PROCESS = (id, edge, producerHere, consumerHere, wakeup, capacity) -> {
        if (!producerHere || !consumerHere) {
            throw new IllegalStateException("channel " + id + " has an end in another process, and this deployment "
                    + "runs every task here");
        }
        return new InProcessChannel(capacity, wakeup);
    };
}
