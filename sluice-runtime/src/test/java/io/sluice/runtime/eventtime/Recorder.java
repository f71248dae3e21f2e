package io.sluice.runtime.eventtime;

import io.sluice.runtime.operator.OperatorCounters;
import io.sluice.runtime.operator.Output;
import io.sluice.runtime.operator.RecordTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link RecordTarget} that logs everything it gets, in order, as short strings: {@code "r value@ts"},
 * {@code "wm 42"} ({@code "wm MAX"}), {@code "idle"}, {@code "active"}. Also checks what every consumer relies on:
 * watermarks only rise, and status changes alternate.
 */
public final class Recorder implements RecordTarget {
    public final List<String> log = new ArrayList<>();
    private long watermark = Long.MIN_VALUE;
    private boolean idle;

    /** An output whose main (and only) target is this recorder. */
    public Output output() {
        return new Output(new RecordTarget[] {this}, Map.of(), new RecordTarget[] {this}, new OperatorCounters());
    }

    @Override
    public void accept(Object record, long timestamp) {
        log.add("r " + record + "@" + (timestamp == Long.MIN_VALUE ? "none" : String.valueOf(timestamp)));
    }

    @Override
    public void acceptWatermark(long wm) {
        if (wm <= watermark) {
            throw new AssertionError("watermark " + wm + " after " + watermark + "; log " + log);
        }
        watermark = wm;
        log.add("wm " + (wm == Long.MAX_VALUE ? "MAX" : String.valueOf(wm)));
    }

    @Override
    public void acceptWatermarkStatus(boolean newIdle) {
        if (newIdle == idle) {
            throw new AssertionError("status " + (newIdle ? "idle" : "active") + " twice; log " + log);
        }
        idle = newIdle;
        log.add(newIdle ? "idle" : "active");
    }

    /** The log so far, then cleared. */
    public List<String> take() {
        List<String> copy = List.copyOf(log);
        log.clear();
        return copy;
    }

    public long watermark() {
        return watermark;
    }

    public boolean idle() {
        return idle;
    }
}
