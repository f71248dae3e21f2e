package io.sluice.runtime.checkpoint.alignment;

/**
 * A state of exactly-once alignment (after Flink's {@code BarrierHandlerState}): each event method returns the next
 * state and records the actions it calls for in the shared {@link AlignmentContext}. The {@link ExactlyOnceAligner}
 * has updated the channels (and checked the event) before it calls a state.
 */
sealed interface AlignmentState permits WaitingForBarriers, Aligning {

    /** {@code channel} delivered the barrier of {@code checkpointId}; it was not blocked. */
    AlignmentState onBarrier(int channel, long checkpointId);

    /** {@code channel} ended; it was not blocked. */
    AlignmentState onEndOfInput(int channel);

    AlignmentState onCancel(long checkpointId);

    boolean isBlocked(int channel);
}
