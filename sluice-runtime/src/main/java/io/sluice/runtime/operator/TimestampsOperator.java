package io.sluice.runtime.operator;

import io.sluice.api.eventtime.WatermarkOutput;
import io.sluice.api.eventtime.WatermarkStrategy;
import io.sluice.api.functions.Function;
import io.sluice.runtime.eventtime.TimestampsAndWatermarks;
import io.sluice.runtime.timer.ProcessingTimeService;

/**
 * {@code assignTimestampsAndWatermarks}: gives each record the strategy's timestamp and generates this subtask's
 * watermarks from its records with one generator; periodic emission and the idleness check run on the task's
 * processing-time clock every {@code autoWatermarkIntervalMillis}. Watermarks and idleness from upstream are dropped:
 * from here on, time is what the strategy says. Only the final watermark ({@link Long#MAX_VALUE}, the end of a bounded
 * input) passes, so timers downstream still fire at the end.
 *
 * <p>Task thread only (records, watermarks and the periodic checks, which run as mails).
 */
public final class TimestampsOperator<T> extends AbstractOperator implements OneInputOperator<T> {
    private final WatermarkStrategy<T> strategy;
    private final long autoWatermarkIntervalMillis;
    private TimestampsAndWatermarks events;
    private long checkIntervalMillis;
    private boolean idle;
    private boolean ended;

    public TimestampsOperator(WatermarkStrategy<T> strategy, long autoWatermarkIntervalMillis) {
        this.strategy = strategy;
        this.autoWatermarkIntervalMillis = autoWatermarkIntervalMillis;
    }

    @Override
    protected Function function() {
        return null;
    }

    @Override
    public void open(OperatorSetup setup) throws Exception {
        super.open(setup);
        ProcessingTimeService time = setup.processingTime();
        events = new TimestampsAndWatermarks(strategy, new Downstream(), time.currentTime());
        checkIntervalMillis = TimestampsAndWatermarks.checkInterval(strategy, autoWatermarkIntervalMillis);
        if (checkIntervalMillis > 0) {
            time.scheduleAt(time.currentTime() + checkIntervalMillis, this::onCheck);
        }
    }

    @Override
    public void processRecord(T record, long recordTimestamp) throws Exception {
        long ts = events.timestampOf(record, recordTimestamp);
        output.emit(record, ts);
        events.onEvent(record, ts);
    }

    /** Upstream watermarks are replaced by this operator's own, except the final one. */
    @Override
    public void processWatermark(long wm) throws Exception {
        if (wm == Long.MAX_VALUE && !ended) {
            ended = true;
            if (idle) {
                idle = false;
                output.emitWatermarkStatus(false);
            }
            watermark = wm;
            output.emitWatermark(wm);
        }
    }

    /** Upstream idleness is replaced by this operator's own. */
    @Override
    public void processWatermarkStatus(boolean upstreamIdle) {}

    private void onCheck(long scheduledTime) {
        if (ended) {
            return;
        }
        ProcessingTimeService time = setup.processingTime();
        try {
            events.onPeriodic(scheduledTime, autoWatermarkIntervalMillis > 0);
        } catch (OperatorException e) {
            throw e;
        } catch (RuntimeException | Error e) {
            throw new OperatorException(setup.name(), e); // runs as a mail: name the operator here
        }
        // at a fixed rate; if the task was too busy to run checks on time, one catches up at once, not all
        time.scheduleAt(Math.max(scheduledTime + checkIntervalMillis, time.currentTime()), this::onCheck);
    }

    /** What the generator and the idleness check say, already cleaned up, to this operator's output. */
    private final class Downstream implements WatermarkOutput {
        @Override
        public void emitWatermark(long wm) {
            if (!ended) {
                watermark = wm;
                output.emitWatermark(wm);
            }
        }

        @Override
        public void markIdle() {
            if (!ended) {
                idle = true;
                output.emitWatermarkStatus(true);
            }
        }

        @Override
        public void markActive() {
            if (!ended) {
                idle = false;
                output.emitWatermarkStatus(false);
            }
        }
    }
}
