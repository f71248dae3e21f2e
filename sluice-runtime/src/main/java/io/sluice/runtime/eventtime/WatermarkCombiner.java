package io.sluice.runtime.eventtime;

import java.util.Arrays;

/**
 * The watermark of several inputs (a task's input channels, a source reader's splits): the minimum over the inputs that
 * are active. An idle input does not hold the watermark back; when no input is active the combination is idle. The
 * combined watermark never goes back: an input that returns from idleness behind it holds it where it is until the
 * input catches up.
 *
 * <p>Inputs that end no longer count: removed ones (ended channels, released splits) and those whose watermark reached
 * {@link Long#MAX_VALUE}. So one ended input beside idle ones leaves the combination idle where it is, rather than
 * moving it to the end of time past data the idle ones may still send. When the last input that counted ends, or on
 * {@link #endOfInput()}, the combination ends with the final watermark {@link Long#MAX_VALUE}.
 *
 * <p>Each change is reported once to the {@link Listener}, in the order a downstream reader needs: "active" before the
 * watermark that follows it. Watermarks of an idle input are remembered and count once it is active again.
 *
 * <p>Not thread-safe: used by one task thread. Per-event cost is O(inputs); events are watermarks and status changes,
 * never records.
 */
public final class WatermarkCombiner {

    /** Where changes of the combination go. Called on the thread that calls the combiner. */
    public interface Listener {
        /** The combined watermark rose to {@code watermark}. */
        void onWatermark(long watermark) throws Exception;

        /** The combination became idle ({@code true}) or active again ({@code false}). */
        void onIdleChange(boolean idle) throws Exception;
    }

    private static final byte ACTIVE = 0;
    private static final byte IDLE = 1;
    /** Reached {@link Long#MAX_VALUE}: counts no more; its number stays taken (its owner may still call). */
    private static final byte FINISHED = 2;
    /** Removed: counts no more; its number may be reused. */
    private static final byte FREE = 3;

    private final Listener listener;
    private long[] watermarks = new long[0];
    private byte[] states = new byte[0];
    private int activeCount;
    /** Inputs active or idle: the ones that count. */
    private int liveCount;
    private long combined = Long.MIN_VALUE;
    private boolean idle;
    private boolean ended;

    public WatermarkCombiner(Listener listener) {
        this.listener = listener;
    }

    /** Creates {@code n} active inputs at {@link Long#MIN_VALUE}, numbered from 0 (before any event; reports nothing). */
    public WatermarkCombiner(Listener listener, int n) {
        this(listener);
        watermarks = new long[n];
        Arrays.fill(watermarks, Long.MIN_VALUE);
        states = new byte[n];
        activeCount = n;
        liveCount = n;
    }

    /** Adds an active input at {@link Long#MIN_VALUE} and returns its number (a removed input's number may be reused). */
    public int addInput() throws Exception {
        int i = 0;
        while (i < states.length && states[i] != FREE) {
            i++;
        }
        if (i == states.length) {
            watermarks = Arrays.copyOf(watermarks, Math.max(4, i * 2));
            states = Arrays.copyOf(states, watermarks.length);
            Arrays.fill(states, i, states.length, FREE);
        }
        watermarks[i] = Long.MIN_VALUE;
        states[i] = ACTIVE;
        activeCount++;
        liveCount++;
        refresh();
        return i;
    }

    /**
     * Input {@code input} reached {@code watermark}; a value not above its last one is ignored, and
     * {@link Long#MAX_VALUE} ends the input.
     */
    public void updateWatermark(int input, long watermark) throws Exception {
        byte state = states[input];
        if (watermark <= watermarks[input] || state >= FINISHED) {
            return;
        }
        watermarks[input] = watermark;
        if (watermark == Long.MAX_VALUE) {
            leave(input, FINISHED);
        } else if (state == ACTIVE) {
            advance();
        }
    }

    /** Input {@code input} became idle or active again. */
    public void setIdle(int input, boolean inputIdle) throws Exception {
        byte state = states[input];
        if (inputIdle && state == ACTIVE) {
            states[input] = IDLE;
            activeCount--;
        } else if (!inputIdle && state == IDLE) {
            states[input] = ACTIVE;
            activeCount++;
        } else {
            return;
        }
        refresh();
    }

    /** Input {@code input} no longer counts (an ended channel, a released split); its number may be reused. */
    public void removeInput(int input) throws Exception {
        if (states[input] == FINISHED) {
            states[input] = FREE;
        } else if (states[input] != FREE) {
            leave(input, FREE);
        }
    }

    private void leave(int input, byte newState) throws Exception {
        if (states[input] == ACTIVE) {
            activeCount--;
        }
        liveCount--;
        states[input] = newState;
        if (liveCount == 0) {
            endOfInput();
        } else {
            refresh();
        }
    }

    /** Every input has ended: the combination is active and at {@link Long#MAX_VALUE}, for good. */
    public void endOfInput() throws Exception {
        ended = true;
        if (idle) {
            idle = false;
            listener.onIdleChange(false);
        }
        if (combined < Long.MAX_VALUE) {
            combined = Long.MAX_VALUE;
            listener.onWatermark(Long.MAX_VALUE);
        }
    }

    /** Reports the current status if it differs from the last one reported (e.g. idle with no input at all). */
    public void refresh() throws Exception {
        if (ended) {
            return;
        }
        boolean nowIdle = activeCount == 0;
        if (nowIdle != idle) {
            idle = nowIdle;
            listener.onIdleChange(nowIdle);
        }
        advance();
    }

    private void advance() throws Exception {
        if (activeCount == 0 || ended) {
            return;
        }
        long min = Long.MAX_VALUE;
        for (int i = 0; i < states.length; i++) {
            if (states[i] == ACTIVE && watermarks[i] < min) {
                min = watermarks[i];
            }
        }
        if (min > combined) {
            combined = min;
            listener.onWatermark(min);
        }
    }

    /** The combined watermark reported last. */
    public long watermark() {
        return combined;
    }

    /** Whether the combination is idle (as reported last). */
    public boolean isIdle() {
        return idle;
    }
}
