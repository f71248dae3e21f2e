package io.sluice.runtime.checkpoint.alignment;

import java.util.BitSet;

/**
 * {@link AlignmentMode#AT_LEAST_ONCE}: tracks, without blocking anything, which open channels delivered the barrier of
 * each pending checkpoint (after Flink's {@code CheckpointBarrierTracker}). Several checkpoints may be pending, since a
 * channel that is never blocked may run several barriers ahead of another; a new one beyond {@code maxPending} makes
 * the oldest give way. When channels end, several may complete at once: the newest is triggered, the older aborted.
 * See {@link BarrierAligner} for the rules and threading.
 *
 * <p>A limit shared with Flink's tracker: a cancellation of n, or a new checkpoint n, makes every id below n that has
 * not been seen yet late, so with several checkpoints in flight a checkpoint whose first barrier arrives after a newer
 * one's cancellation or first barrier is ignored (it times out at the coordinator). Remembering every id would lift
 * this; with one checkpoint in flight (the default) it cannot happen.
 *
 * <p>Pending checkpoints are kept in ascending order in arrays sized once (ids, awaited counts, one {@link BitSet} of
 * channels each, reused), so events allocate nothing but the actions they return.
 */
final class BarrierTracker implements BarrierAligner {
    private final InputChannels channels;
    private final ActionBuffer actions;
    private final long[] ids;
    /** Per pending checkpoint: the open channels that have not delivered its barrier. */
    private final int[] awaited;
    /** Per pending checkpoint: the channels that delivered its barrier. */
    private final BitSet[] received;
    private int size;
    private long latestCheckpointId;

    BarrierTracker(int channelCount, int maxPending) {
        if (maxPending < 1) {
            throw new IllegalArgumentException("maxPending must be at least 1, was " + maxPending);
        }
        this.channels = new InputChannels(channelCount);
        this.actions = new ActionBuffer(maxPending + 1);
        this.ids = new long[maxPending];
        this.awaited = new int[maxPending];
        this.received = new BitSet[maxPending];
        for (int i = 0; i < maxPending; i++) {
            received[i] = new BitSet(channelCount);
        }
    }

    @Override
    public AlignmentAction onBarrier(int channel, long checkpointId) {
        channels.onBarrier(channel, checkpointId);
        int i = indexOf(checkpointId);
        if (i >= 0) {
            received[i].set(channel);
            if (--awaited[i] == 0) {
                trigger(i);
            }
        } else if (checkpointId > latestCheckpointId) {
            latestCheckpointId = checkpointId;
            int stillAwaited = channels.openCount() - 1;
            if (stillAwaited == 0) {
                abortOlderThan(size);
                actions.trigger(checkpointId);
                size = 0;
            } else {
                if (size == ids.length) {
                    actions.abort(ids[0], AbortReason.TOO_MANY_PENDING);
                    remove(0);
                }
                ids[size] = checkpointId;
                awaited[size] = stillAwaited;
                received[size].set(channel);
                size++;
            }
        } // else late: its checkpoint was triggered or aborted
        return actions.take();
    }

    @Override
    public AlignmentAction onEndOfInput(int channel) {
        channels.onEndOfInput(channel);
        int newestComplete = -1;
        for (int i = 0; i < size; i++) {
            if (!received[i].get(channel) && --awaited[i] == 0) {
                newestComplete = i;
            }
        }
        if (newestComplete >= 0) {
            trigger(newestComplete);
        }
        return actions.take();
    }

    @Override
    public AlignmentAction onCancelCheckpoint(long checkpointId) {
        if (checkpointId <= 0) {
            throw new IllegalArgumentException("checkpoint ids are positive, was " + checkpointId);
        }
        int i = indexOf(checkpointId);
        if (i >= 0) {
            actions.abort(checkpointId, AbortReason.CANCELLED);
            remove(i);
        } else if (checkpointId > latestCheckpointId) {
            latestCheckpointId = checkpointId;
            actions.abort(checkpointId, AbortReason.CANCELLED);
        }
        return actions.take();
    }

    @Override
    public boolean isBlocked(int channel) {
        return false;
    }

    @Override
    public boolean hasPendingCheckpoint() {
        return size > 0;
    }

    @Override
    public long latestCheckpointId() {
        return latestCheckpointId;
    }

    /** Triggers pending checkpoint {@code i}, aborting the older ones, and drops them all. */
    private void trigger(int i) {
        abortOlderThan(i);
        actions.trigger(ids[i]);
        for (int k = 0; k <= i; k++) {
            remove(0);
        }
    }

    private void abortOlderThan(int end) {
        for (int k = 0; k < end; k++) {
            actions.abort(ids[k], AbortReason.SUBSUMED);
        }
    }

    private int indexOf(long checkpointId) {
        for (int i = 0; i < size; i++) {
            if (ids[i] == checkpointId) {
                return i;
            }
        }
        return -1;
    }

    /** Removes pending checkpoint {@code i}, keeping the order; its channel set is cleared and reused. */
    private void remove(int i) {
        BitSet freed = received[i];
        freed.clear();
        int tail = size - i - 1;
        System.arraycopy(ids, i + 1, ids, i, tail);
        System.arraycopy(awaited, i + 1, awaited, i, tail);
        System.arraycopy(received, i + 1, received, i, tail);
        size--;
        received[size] = freed;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("BarrierTracker[latest ").append(latestCheckpointId).append(", pending");
        for (int i = 0; i < size; i++) {
            s.append(' ').append(ids[i]).append(received[i]).append(" awaiting ").append(awaited[i]);
        }
        return s.append(']').toString();
    }
}
