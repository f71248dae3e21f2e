package io.sluice.runtime.checkpoint.alignment;

import java.util.Objects;

/**
 * Which of a task's input channels are still open, and the last barrier each delivered. Rejects events a correct
 * caller never produces: an event on an ended channel, a barrier not newer than the channel's previous one (a channel
 * is FIFO and its producer forwards barriers in increasing order).
 */
final class InputChannels {
    private final long[] lastBarrier;
    private final boolean[] ended;
    private int openCount;

    InputChannels(int channels) {
        if (channels < 1) {
            throw new IllegalArgumentException("a task aligning barriers needs at least one input channel, had "
                    + channels);
        }
        this.lastBarrier = new long[channels];
        this.ended = new boolean[channels];
        this.openCount = channels;
    }

    void onBarrier(int channel, long checkpointId) {
        checkOpen(channel, "a barrier");
        if (checkpointId <= 0) {
            throw new IllegalArgumentException("checkpoint ids are positive, was " + checkpointId);
        }
        if (checkpointId <= lastBarrier[channel]) {
            throw new IllegalStateException("channel " + channel + " delivered the barrier of checkpoint "
                    + checkpointId + " after that of checkpoint " + lastBarrier[channel]
                    + ": barriers on a channel must increase");
        }
        lastBarrier[channel] = checkpointId;
    }

    void onEndOfInput(int channel) {
        checkOpen(channel, "end of input");
        ended[channel] = true;
        openCount--;
    }

    int openCount() {
        return openCount;
    }

    int count() {
        return ended.length;
    }

    private void checkOpen(int channel, String what) {
        Objects.checkIndex(channel, ended.length);
        if (ended[channel]) {
            throw new IllegalStateException("channel " + channel + " delivered " + what + " after its end of input");
        }
    }
}
