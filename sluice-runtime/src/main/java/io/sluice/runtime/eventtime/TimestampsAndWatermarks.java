package io.sluice.runtime.eventtime;

import io.sluice.api.eventtime.TimestampAssigner;
import io.sluice.api.eventtime.WatermarkGenerator;
import io.sluice.api.eventtime.WatermarkOutput;
import io.sluice.api.eventtime.WatermarkStrategy;

/**
 * Event time for one input (one source split, or the input of one {@code assignTimestampsAndWatermarks} subtask):
 * assigns each record its timestamp, runs the input's own {@link WatermarkGenerator}, and notices when the input has
 * been silent for the strategy's idleness timeout.
 *
 * <p>Per record the caller calls {@link #timestampOf} (which also ends an idle period, so "active" goes downstream
 * before the record), emits the record, then calls {@link #onEvent} (so a watermark the record allows follows it).
 * {@link #onPeriodic} runs every interval of processing time: the generator's periodic emission, then the idleness
 * check. What reaches {@code downstream} is already clean: only rising watermarks, only changes of status.
 *
 * <p>Idleness costs one counter increment per record: the clock is read only in {@link #onPeriodic}, which compares
 * the counter with its value at the previous check. Task thread only.
 */
public final class TimestampsAndWatermarks implements WatermarkOutput {
    private final TimestampAssigner<Object> assigner;
    private final WatermarkGenerator<Object> generator;
    private final long idleTimeoutMillis;
    private final WatermarkOutput downstream;
    private long watermark = Long.MIN_VALUE;
    private boolean idle;
    /** Records seen and watermarks advanced: what "not silent" means. */
    private long activity;
    private long activityAtLastCheck;
    private long lastActiveTime;

    /**
     * @param downstream where this input's rising watermarks and status changes go
     * @param now        the processing time now: the start of the first silence
     */
    @SuppressWarnings("unchecked")
    public TimestampsAndWatermarks(WatermarkStrategy<?> strategy, WatermarkOutput downstream, long now) {
        WatermarkStrategy<Object> s = (WatermarkStrategy<Object>) strategy;
        this.assigner = s.timestampAssigner().orElse(null);
        this.generator = s.createWatermarkGenerator();
        this.idleTimeoutMillis = s.idleness().map(d -> Math.max(1, saturatedMillis(d))).orElse(0L);
        this.downstream = downstream;
        this.lastActiveTime = now;
    }

    /**
     * How often {@link #onPeriodic} must run for {@code strategy} under {@code autoWatermarkIntervalMillis}, in
     * milliseconds; 0 for never (no periodic emission and no idleness to check).
     */
    public static long checkInterval(WatermarkStrategy<?> strategy, long autoWatermarkIntervalMillis) {
        if (autoWatermarkIntervalMillis > 0) {
            return autoWatermarkIntervalMillis;
        }
        return strategy.idleness().map(d -> Math.max(1, saturatedMillis(d))).orElse(0L);
    }

    /** The record's timestamp (assigned, or the one it has); counts the record as activity. */
    public long timestampOf(Object record, long recordTimestamp) {
        activity++;
        if (idle) {
            markActive();
        }
        return assigner == null ? recordTimestamp : assigner.extractTimestamp(record, recordTimestamp);
    }

    /** After the record went downstream: the generator sees it. */
    public void onEvent(Object record, long timestamp) {
        generator.onEvent(record, timestamp, this);
    }

    /**
     * Periodic work at processing time {@code now}: if {@code emit}, asks the generator for its periodic watermark;
     * then marks the input idle if it was silent for the timeout. Activity since the previous check (records, and
     * watermarks that advanced, also the one just emitted) counts as activity now.
     */
    public void onPeriodic(long now, boolean emit) {
        if (emit) {
            generator.onPeriodicEmit(this);
        }
        if (activity != activityAtLastCheck) {
            activityAtLastCheck = activity;
            lastActiveTime = now;
        } else if (idleTimeoutMillis > 0 && !idle && now - lastActiveTime >= idleTimeoutMillis) {
            markIdle();
        }
    }

    /** The highest watermark emitted so far. */
    public long watermark() {
        return watermark;
    }

    public boolean isIdle() {
        return idle;
    }

    // ---- WatermarkOutput, for the generator ----

    @Override
    public void emitWatermark(long wm) {
        if (wm <= watermark) {
            return;
        }
        watermark = wm;
        activity++;
        if (idle) {
            idle = false;
            downstream.markActive();
        }
        downstream.emitWatermark(wm);
    }

    @Override
    public void markIdle() {
        if (!idle) {
            idle = true;
            downstream.markIdle();
        }
    }

    @Override
    public void markActive() {
        if (idle) {
            idle = false;
            activity++;
            downstream.markActive();
        }
    }

    private static long saturatedMillis(java.time.Duration d) {
        try {
            return d.toMillis();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
