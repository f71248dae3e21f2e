package io.sluice.runtime.checkpoint.alignment;

/**
 * Checkpoint {@code checkpointId} is being aligned: the channels that delivered its barrier are blocked; it is
 * triggered when no open channel is awaited any more, and aborted by a cancellation or by a newer checkpoint. Either
 * way every channel is unblocked and the state returns to {@link WaitingForBarriers}.
 */
final class Aligning implements AlignmentState {
    private final AlignmentContext context;
    private final WaitingForBarriers waiting;
    private final long checkpointId;

    Aligning(AlignmentContext context, WaitingForBarriers waiting, long checkpointId) {
        this.context = context;
        this.waiting = waiting;
        this.checkpointId = checkpointId;
    }

    long checkpointId() {
        return checkpointId;
    }

    @Override
    public AlignmentState onBarrier(int channel, long barrierId) {
        if (barrierId < checkpointId) {
            return this; // late
        }
        if (barrierId == checkpointId) {
            context.received.set(channel);
            return --context.awaited == 0 ? trigger() : this;
        }
        // The channel skipped this checkpoint, so it can never complete here.
        abort(AbortReason.SUBSUMED);
        context.latestCheckpointId = barrierId;
        return waiting.startAligning(channel, barrierId);
    }

    @Override
    public AlignmentState onEndOfInput(int channel) {
        // The channel was not blocked, so it had not delivered the barrier: one fewer to wait for.
        return --context.awaited == 0 ? trigger() : this;
    }

    @Override
    public AlignmentState onCancel(long cancelledId) {
        if (cancelledId < checkpointId) {
            return this;
        }
        if (cancelledId == checkpointId) {
            return abort(AbortReason.CANCELLED);
        }
        abort(AbortReason.SUBSUMED);
        return waiting.onCancel(cancelledId);
    }

    @Override
    public boolean isBlocked(int channel) {
        return context.received.get(channel);
    }

    private AlignmentState trigger() {
        context.received.clear();
        context.actions.trigger(checkpointId);
        return waiting;
    }

    private AlignmentState abort(AbortReason reason) {
        context.received.clear();
        context.actions.abort(checkpointId, reason);
        return waiting;
    }
}
