package io.sluice.runtime.checkpoint.alignment;

/** Why a {@link BarrierAligner} aborts a checkpoint. */
public enum AbortReason {
    /**
     * A newer checkpoint overtook it: in exactly-once mode the barrier or cancellation of a newer checkpoint arrived
     * while it was aligning (a channel that skips a checkpoint never delivers its barrier); in at-least-once mode a
     * newer checkpoint was triggered first.
     */
    SUBSUMED,
    /** It was cancelled: an abort marker came on a channel, or the task was told to abort it. */
    CANCELLED,
    /** At-least-once mode tracks a bounded number of pending checkpoints; the oldest gave way to a new one. */
    TOO_MANY_PENDING
}
