package io.sluice.runtime.checkpoint.alignment;

import java.util.BitSet;

/**
 * What the exactly-once {@link AlignmentState}s share: the channels, which of them delivered the barrier being
 * aligned, how many open ones are still awaited, the newest checkpoint id seen, and the actions of the current event.
 * Plain mutable fields, touched by the task thread only.
 */
final class AlignmentContext {
    final InputChannels channels;
    final BitSet received;
    final ActionBuffer actions = new ActionBuffer(2);
    /** Open channels that have not delivered the barrier being aligned. */
    int awaited;
    long latestCheckpointId;

    AlignmentContext(InputChannels channels) {
        this.channels = channels;
        this.received = new BitSet(channels.count());
    }
}
