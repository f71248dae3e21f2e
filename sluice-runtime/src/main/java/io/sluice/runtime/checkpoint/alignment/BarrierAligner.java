package io.sluice.runtime.checkpoint.alignment;

/**
 * Aligns checkpoint barriers across one task's input channels: the task reports what it reads from its channels
 * (barriers, ends of input) and cancellations, and the aligner answers with the action to take
 * ({@link AlignmentAction}) and says which channels the task must not read now ({@link #isBlocked}).
 *
 * <p>Rules, both modes. A checkpoint is <em>pending</em> from the first barrier of it that arrives until it is
 * triggered or aborted. It is triggered when its barrier has come on every channel still open; a channel that ends is
 * no longer waited for (its records all came before any later barrier), so its end may complete a checkpoint. With one
 * open channel a barrier triggers at once. A barrier of a checkpoint that is not pending and not newer than the newest
 * id seen (in a barrier or a cancellation) is late, its checkpoint already triggered or aborted: it is ignored. Ids
 * triggered strictly increase: triggering checkpoint n aborts every older pending one ({@link AbortReason#SUBSUMED}).
 * A cancellation ({@link #onCancelCheckpoint}) of a pending checkpoint aborts it; of a newer one, it returns an abort
 * of that id (so the task declines it and forwards the cancellation) and its barriers are then ignored.
 *
 * <p>{@link AlignmentMode#EXACTLY_ONCE}: at most one checkpoint is pending (aligning); a channel that delivered its
 * barrier is blocked until it is triggered or aborted. A barrier or cancellation of a newer checkpoint aborts it
 * ({@link AbortReason#SUBSUMED}): the channel that sent the newer barrier skipped it and will never send its barrier.
 * {@link AlignmentMode#AT_LEAST_ONCE}: nothing is ever blocked, and several checkpoints may be pending (up to a bound;
 * the oldest gives way, {@link AbortReason#TOO_MANY_PENDING}), since a channel may run ahead by several barriers.
 *
 * <p>Pure logic, no threads, no clock: not thread-safe, called by the task's thread only. Events cost O(channels /
 * 64) at worst (O(pending checkpoints) in at-least-once mode); they allocate nothing but, per checkpoint, the action
 * that triggers or aborts it (and in exactly-once mode its alignment state). {@link #isBlocked} is a bit test. Events
 * a correct caller never produces are rejected with an {@link IllegalStateException}: an event on a channel after its
 * end of input, a barrier not newer than the channel's previous barrier, reading a blocked channel.
 */
public sealed interface BarrierAligner permits ExactlyOnceAligner, BarrierTracker {

    /** Checkpoints tracked at once in at-least-once mode unless told otherwise. */
    int DEFAULT_MAX_PENDING = 16;

    /** An aligner for a task reading {@code channels} channels (numbered from 0), all open. */
    static BarrierAligner create(AlignmentMode mode, int channels) {
        return switch (mode) {
            case EXACTLY_ONCE -> new ExactlyOnceAligner(channels);
            case AT_LEAST_ONCE -> new BarrierTracker(channels, DEFAULT_MAX_PENDING);
        };
    }

    /** An at-least-once aligner tracking at most {@code maxPending} checkpoints at once. */
    static BarrierAligner atLeastOnce(int channels, int maxPending) {
        return new BarrierTracker(channels, maxPending);
    }

    /** The task read the barrier of {@code checkpointId} (positive) from {@code channel}. */
    AlignmentAction onBarrier(int channel, long checkpointId);

    /** The task read the end of input of {@code channel}: nothing more comes on it. */
    AlignmentAction onEndOfInput(int channel);

    /**
     * Checkpoint {@code checkpointId} is cancelled: an abort marker came on some channel, or the task was told to abort
     * it (a timeout, a failure elsewhere).
     */
    AlignmentAction onCancelCheckpoint(long checkpointId);

    /** Whether the task must not read {@code channel} now. Always {@code false} in at-least-once mode. */
    boolean isBlocked(int channel);

    /** Whether some checkpoint is pending (in exactly-once mode: an alignment is under way). */
    boolean hasPendingCheckpoint();

    /** The newest checkpoint id seen in a barrier or a cancellation; 0 before any. */
    long latestCheckpointId();
}
