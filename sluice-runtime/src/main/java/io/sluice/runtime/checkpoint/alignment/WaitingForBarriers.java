package io.sluice.runtime.checkpoint.alignment;

/** No checkpoint is being aligned; no channel is blocked. The first barrier newer than any seen starts an alignment. */
final class WaitingForBarriers implements AlignmentState {
    private final AlignmentContext context;

    WaitingForBarriers(AlignmentContext context) {
        this.context = context;
    }

    @Override
    public AlignmentState onBarrier(int channel, long checkpointId) {
        if (checkpointId <= context.latestCheckpointId) {
            return this; // late: that checkpoint was triggered or aborted
        }
        context.latestCheckpointId = checkpointId;
        return startAligning(channel, checkpointId);
    }

    /** {@code channel} delivered the first barrier of a new checkpoint, whose id is already the latest seen. */
    AlignmentState startAligning(int channel, long checkpointId) {
        int awaited = context.channels.openCount() - 1;
        if (awaited == 0) {
            context.actions.trigger(checkpointId);
            return this;
        }
        context.received.set(channel);
        context.awaited = awaited;
        return new Aligning(context, this, checkpointId);
    }

    @Override
    public AlignmentState onEndOfInput(int channel) {
        return this;
    }

    @Override
    public AlignmentState onCancel(long checkpointId) {
        if (checkpointId > context.latestCheckpointId) {
            context.latestCheckpointId = checkpointId;
            context.actions.abort(checkpointId, AbortReason.CANCELLED);
        }
        return this;
    }

    @Override
    public boolean isBlocked(int channel) {
        return false;
    }
}
