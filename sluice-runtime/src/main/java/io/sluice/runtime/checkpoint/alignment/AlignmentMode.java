package io.sluice.runtime.checkpoint.alignment;

/** How a task's input channels are aligned on checkpoint barriers. */
public enum AlignmentMode {
    /**
     * A channel that delivered the barrier of checkpoint n is not read until n's barrier came on every open channel
     * (or n was aborted): the snapshot holds exactly the records before the barriers, so state is exactly-once.
     */
    EXACTLY_ONCE,
    /**
     * Channels are never blocked; the checkpoint is taken once its barrier came on every open channel, so the snapshot
     * may hold records from after the barrier on the channels that delivered it first: after a restore they are
     * processed again (at least once). No alignment stalls.
     */
    AT_LEAST_ONCE
}
