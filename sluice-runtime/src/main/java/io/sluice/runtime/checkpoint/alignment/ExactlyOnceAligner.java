package io.sluice.runtime.checkpoint.alignment;

/**
 * {@link AlignmentMode#EXACTLY_ONCE}: a two-state machine, {@link WaitingForBarriers} and {@link Aligning}, whose
 * event methods return the next state. This class checks each event against the channels, hands it to the current
 * state and returns the actions the state recorded. See {@link BarrierAligner} for the rules and threading.
 */
final class ExactlyOnceAligner implements BarrierAligner {
    private final AlignmentContext context;
    private AlignmentState state;

    ExactlyOnceAligner(int channels) {
        this.context = new AlignmentContext(new InputChannels(channels));
        this.state = new WaitingForBarriers(context);
    }

    @Override
    public AlignmentAction onBarrier(int channel, long checkpointId) {
        if (state.isBlocked(channel)) {
            throw readWhileBlocked(channel, "the barrier of checkpoint " + checkpointId);
        }
        context.channels.onBarrier(channel, checkpointId);
        state = state.onBarrier(channel, checkpointId);
        return context.actions.take();
    }

    @Override
    public AlignmentAction onEndOfInput(int channel) {
        if (state.isBlocked(channel)) {
            throw readWhileBlocked(channel, "its end of input");
        }
        context.channels.onEndOfInput(channel);
        state = state.onEndOfInput(channel);
        return context.actions.take();
    }

    @Override
    public AlignmentAction onCancelCheckpoint(long checkpointId) {
        if (checkpointId <= 0) {
            throw new IllegalArgumentException("checkpoint ids are positive, was " + checkpointId);
        }
        state = state.onCancel(checkpointId);
        return context.actions.take();
    }

    @Override
    public boolean isBlocked(int channel) {
        return state.isBlocked(channel);
    }

    @Override
    public boolean hasPendingCheckpoint() {
        return state instanceof Aligning;
    }

    @Override
    public long latestCheckpointId() {
        return context.latestCheckpointId;
    }

    private IllegalStateException readWhileBlocked(int channel, String what) {
        return new IllegalStateException("channel " + channel + " delivered " + what + " while blocked by the"
                + " alignment of checkpoint " + ((Aligning) state).checkpointId() + ": a blocked channel must not be"
                + " read");
    }

    @Override
    public String toString() {
        return state instanceof Aligning a
                ? "ExactlyOnceAligner[aligning " + a.checkpointId() + ", received " + context.received + ", awaiting "
                        + context.awaited + "]"
                : "ExactlyOnceAligner[waiting, latest " + context.latestCheckpointId + "]";
    }
}
