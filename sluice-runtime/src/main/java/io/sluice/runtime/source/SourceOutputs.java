package io.sluice.runtime.source;

import io.sluice.api.eventtime.WatermarkOutput;
import io.sluice.api.eventtime.WatermarkStrategy;
import io.sluice.api.functions.OutputTag;
import io.sluice.api.source.SourceOutput;
import io.sluice.runtime.eventtime.TimestampsAndWatermarks;
import io.sluice.runtime.eventtime.WatermarkCombiner;
import io.sluice.runtime.operator.Output;
import io.sluice.runtime.timer.ProcessingTimeService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The output a source reader emits into, with event time per split: every split the reader holds gets its own
 * {@link TimestampsAndWatermarks} (timestamp assigner, watermark generator, idleness), and the source subtask's
 * watermark is the minimum over its active splits ({@link WatermarkCombiner}), emitted into the source node's
 * {@link Output} together with idle/active changes.
 *
 * <p>The splits the reader was given count from its first poll on, before it reads them, so a split that is read later
 * still holds the watermark back. A split counts until the reader releases it; while no split is left (and the reader
 * has not ended) a stand-in holds the watermark where it is, so the subtask neither turns idle nor runs ahead; with an
 * idleness timeout it turns idle like any silent split. A reader that was given no split is idle from its first poll
 * on.
 *
 * <p>A reader that emits straight into this output instead of {@link #forSplit} (one that does not report splits) gets
 * one generator for all its records; its splits are then not tracked one by one. Readers should do one or the other.
 *
 * <p>A {@link WatermarkStrategy#isPassThrough() pass-through} strategy (no watermarks, no assigner, no idleness) costs
 * nothing per record: records go straight to the output.
 *
 * <p>Side outputs ({@link #output(OutputTag, Object)}, also through a split's output) go straight to the source node's
 * side targets, without a timestamp and without touching the watermark.
 *
 * <p>Task thread only: the reader calls it during polls, periodic checks run as mails of the same task.
 */
public final class SourceOutputs implements SourceOutput<Object> {
    private final Output output;
    private final WatermarkStrategy<?> strategy;
    private final ProcessingTimeService time;
    private final boolean emitPeriodically;
    private final long checkIntervalMillis;
    private final List<String> assignedSplits;
    private final boolean passThrough;
    private final WatermarkCombiner combiner;
    /** By split id, in the order they were assigned or opened, so periodic checks run in a fixed order. */
    private final Map<String, SplitOutput> splits = new LinkedHashMap<>();
    /** Whether the assigned splits were registered (or will never be: the reader emits without naming splits). */
    private boolean registered;
    /** The records of a reader that does not name splits; {@code null} until it emits one. */
    private SplitOutput direct;
    /** Holds the watermark while the reader has no split left; {@code null} when not needed. */
    private SplitOutput standIn;
    private boolean ended;
    /** The splits' watermarks as of the last periodic check, for monitoring: written by the task thread, read by any. */
    private volatile List<SplitState> published = List.of();
    /** The combined watermark last handed to the chain, for monitoring: written by the task thread, read by any. */
    private volatile long emittedWatermark = Long.MIN_VALUE;

    /**
     * The watermark last emitted into the source's chain (the least over its active splits): the input watermark of
     * the operators chained behind the source. {@link Long#MIN_VALUE} before the first. Any thread.
     */
    public long emittedWatermark() {
        return emittedWatermark;
    }

    /** A split's watermark and whether it is idle, as monitoring sees it. */
    public record SplitState(String split, long watermark, boolean idle) {}

    /**
     * @param time                        the task's clock, for periodic emission and idleness checks
     * @param autoWatermarkIntervalMillis the job's periodic emission interval; 0 for none
     * @param assignedSplits              the ids of the splits the reader was given
     */
    public SourceOutputs(Output output, WatermarkStrategy<?> strategy, ProcessingTimeService time,
            long autoWatermarkIntervalMillis, List<String> assignedSplits) {
        this.output = output;
        this.strategy = strategy;
        this.time = time;
        this.emitPeriodically = autoWatermarkIntervalMillis > 0;
        this.checkIntervalMillis = TimestampsAndWatermarks.checkInterval(strategy, autoWatermarkIntervalMillis);
        this.assignedSplits = new java.util.ArrayList<>(assignedSplits);
        this.passThrough = strategy.isPassThrough();
        this.combiner = new WatermarkCombiner(new WatermarkCombiner.Listener() {
            @Override
            public void onWatermark(long watermark) {
                emittedWatermark = watermark;
                output.emitWatermark(watermark);
            }

            @Override
            public void onIdleChange(boolean idle) {
                output.emitWatermarkStatus(idle);
            }
        });
    }

    /**
     * After the reader's first poll, unless that ended the input: the assigned splits count (if the reader did not
     * name one yet), a reader without splits is idle from now on, periodic checks start.
     */
    public void start() {
        if (passThrough) {
            if (assignedSplits.isEmpty()) {
                call(combiner::refresh);
            }
            return;
        }
        registerAssigned();
        call(combiner::refresh);
        if (checkIntervalMillis > 0) {
            time.scheduleAt(time.currentTime() + checkIntervalMillis, this::onCheck);
        }
    }

    /**
     * The reader was given more splits (by its enumerator, at any time): each holds the watermark back from now on,
     * as if it had been assigned at the start, until it emits or is released.
     */
    public void addSplits(List<String> splitIds) {
        if (!registered) {
            assignedSplits.addAll(splitIds);
            return;
        }
        if (passThrough || direct != null) {
            return; // a reader that emits without naming splits: one generator covers all of them
        }
        for (String id : splitIds) {
            if (!splits.containsKey(id)) {
                splits.put(id, new SplitOutput());
                dropStandIn();
            }
        }
    }

    /** The reader ended: the final watermark {@link Long#MAX_VALUE} goes out, and periodic checks stop. */
    public void endOfInput() {
        ended = true;
        call(combiner::endOfInput);
    }

    private void registerAssigned() {
        if (!registered) {
            registered = true;
            for (String id : assignedSplits) {
                splits.putIfAbsent(id, new SplitOutput());
            }
        }
    }

    // ---- SourceOutput: records without a split ----

    @Override
    public void collect(Object record) {
        collect(record, Long.MIN_VALUE);
    }

    @Override
    public void collect(Object record, long timestamp) {
        if (passThrough) {
            output.emit(record, timestamp);
            return;
        }
        SplitOutput d = direct;
        if (d == null) {
            d = openDirect();
        }
        d.collect(record, timestamp);
    }

    /** The reader emits without naming splits: one generator for it, and splits it never named stop counting. */
    private SplitOutput openDirect() {
        registered = true;
        direct = new SplitOutput();
        for (var it = splits.values().iterator(); it.hasNext(); ) {
            SplitOutput split = it.next();
            if (!split.used) {
                it.remove();
                split.released = true;
                call(() -> combiner.removeInput(split.input));
            }
        }
        dropStandIn();
        return direct;
    }

    @Override
    public <X> void output(OutputTag<X> tag, X value) {
        output.emitSide(tag, value, Long.MIN_VALUE);
    }

    @Override
    public SourceOutput<Object> forSplit(String splitId) {
        if (passThrough) {
            return this;
        }
        registerAssigned();
        SplitOutput split = splits.get(splitId);
        if (split == null) {
            split = new SplitOutput();
            splits.put(splitId, split);
            dropStandIn();
        }
        split.used = true;
        return split;
    }

    @Override
    public void releaseSplit(String splitId) {
        if (passThrough) {
            return;
        }
        registerAssigned();
        SplitOutput split = splits.remove(splitId);
        if (split == null) {
            return;
        }
        if (splits.isEmpty() && direct == null && standIn == null) {
            standIn = new SplitOutput(); // before the split goes, so the subtask neither idles nor runs ahead
        }
        split.released = true;
        call(() -> combiner.removeInput(split.input));
    }

    /** After another input was added. */
    private void dropStandIn() {
        if (standIn != null) {
            SplitOutput s = standIn;
            standIn = null;
            s.released = true;
            call(() -> combiner.removeInput(s.input));
        }
    }

    /** The splits' watermarks as of the last periodic check (at most one check interval old). Any thread. */
    public List<SplitState> splitStates() {
        return published;
    }

    private void onCheck(long scheduledTime) {
        if (ended) {
            published = List.of();
            return;
        }
        List<SplitState> states = new java.util.ArrayList<>(splits.size());
        for (Map.Entry<String, SplitOutput> e : splits.entrySet()) {
            SplitOutput split = e.getValue();
            split.events.onPeriodic(scheduledTime, emitPeriodically);
            states.add(new SplitState(e.getKey(), split.watermark, split.idle));
        }
        published = List.copyOf(states);
        if (direct != null) {
            direct.events.onPeriodic(scheduledTime, emitPeriodically);
        }
        if (standIn != null) {
            standIn.events.onPeriodic(scheduledTime, emitPeriodically);
        }
        // at a fixed rate; if the task was too busy to run checks on time, one catches up at once, not all
        time.scheduleAt(Math.max(scheduledTime + checkIntervalMillis, time.currentTime()), this::onCheck);
    }

    /** One split's output: its own timestamps and watermarks, reported to the combiner as input {@link #input}. */
    private final class SplitOutput implements SourceOutput<Object>, WatermarkOutput {
        final int input;
        final TimestampsAndWatermarks events;
        boolean used;
        /** Its combiner input may belong to another split by now: what it says no longer counts. */
        boolean released;
        /** What its generator said last, for monitoring. */
        long watermark = Long.MIN_VALUE;
        boolean idle;

        SplitOutput() {
            this.input = callInt(combiner::addInput);
            this.events = new TimestampsAndWatermarks(strategy, this, time.currentTime());
        }

        @Override
        public void collect(Object record) {
            collect(record, Long.MIN_VALUE);
        }

        @Override
        public void collect(Object record, long timestamp) {
            long ts = events.timestampOf(record, timestamp);
            output.emit(record, ts);
            events.onEvent(record, ts);
        }

        @Override
        public SourceOutput<Object> forSplit(String splitId) {
            return SourceOutputs.this.forSplit(splitId);
        }

        @Override
        public void releaseSplit(String splitId) {
            SourceOutputs.this.releaseSplit(splitId);
        }

        @Override
        public <X> void output(OutputTag<X> tag, X value) {
            SourceOutputs.this.output(tag, value);
        }

        // ---- WatermarkOutput: what this split's generator and idleness say ----

        @Override
        public void emitWatermark(long watermark) {
            this.watermark = Math.max(this.watermark, watermark);
            this.idle = false;
            if (!released) {
                call(() -> combiner.updateWatermark(input, watermark));
            }
        }

        @Override
        public void markIdle() {
            idle = true;
            if (!released) {
                call(() -> combiner.setIdle(input, true));
            }
        }

        @Override
        public void markActive() {
            idle = false;
            if (!released) {
                call(() -> combiner.setIdle(input, false));
            }
        }
    }

    private interface Action {
        void run() throws Exception;
    }

    private interface IntAction {
        int run() throws Exception;
    }

    /** The combiner's listener throws nothing checked here (it only emits into the output); keeps signatures plain. */
    private static void call(Action action) {
        try {
            action.run();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int callInt(IntAction action) {
        try {
            return action.run();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
