package io.sluice.runtime.checkpoint.alignment;

import java.util.Objects;

/**
 * What a task must do after an event it gave its {@link BarrierAligner}: nothing, take a checkpoint, or abort one.
 * One event can call for several actions: aborting older checkpoints and then triggering or aborting a newer one.
 * They come as a chain, in the order to perform them, oldest checkpoint first; only an {@link AbortCheckpoint} has a
 * {@link #next()} other than {@link #NONE}, and a {@link TriggerCheckpoint} is always last:
 *
 * <pre>{@code
 * for (AlignmentAction a = aligner.onBarrier(channel, id); a != AlignmentAction.NONE; a = a.next()) {
 *     switch (a) {
 *         case AlignmentAction.TriggerCheckpoint t -> snapshotAndForwardBarrier(t.checkpointId());
 *         case AlignmentAction.AbortCheckpoint ab -> declineAndForwardCancel(ab.checkpointId(), ab.reason());
 *         case AlignmentAction.None n -> { }
 *     }
 * }
 * }</pre>
 *
 * <p>Immutable values. The aligner returns the shared {@link #NONE} when nothing is to be done, so most events
 * allocate nothing; an action is allocated only when a checkpoint is triggered or aborted.
 */
public sealed interface AlignmentAction {

    /** Nothing to do. */
    None NONE = new None();

    /** The action to perform after this one; {@link #NONE} when this is the last. */
    AlignmentAction next();

    /** Nothing to do. Compare with {@link AlignmentAction#NONE} or by type. */
    record None() implements AlignmentAction {
        @Override
        public AlignmentAction next() {
            return NONE;
        }
    }

    /**
     * The barrier of {@code checkpointId} came on every open channel: snapshot the task's state now, before reading
     * any further input, and forward the barrier. Checkpoint ids triggered by one aligner strictly increase.
     */
    record TriggerCheckpoint(long checkpointId) implements AlignmentAction {
        @Override
        public AlignmentAction next() {
            return NONE;
        }
    }

    /**
     * Checkpoint {@code checkpointId} will not be taken by this task: decline it and forward its cancellation, so
     * downstream tasks stop waiting for its barrier. Then perform {@code then}.
     */
    record AbortCheckpoint(long checkpointId, AbortReason reason, AlignmentAction then) implements AlignmentAction {
        public AbortCheckpoint {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(then, "then");
        }

        @Override
        public AlignmentAction next() {
            return then;
        }
    }
}
