package io.sluice.runtime.window;

import io.sluice.api.functions.OutputTag;
import io.sluice.api.functions.AggregateFunction;
import io.sluice.api.functions.Function;
import io.sluice.api.functions.KeySelector;
import io.sluice.api.functions.ReduceFunction;
import io.sluice.api.graph.OperatorSpec;
import io.sluice.api.graph.WindowFunctionSpec;
import io.sluice.api.types.TypeSerializer;
import io.sluice.api.windowing.Evictor;
import io.sluice.api.windowing.MergingWindowAssigner;
import io.sluice.api.windowing.ProcessWindowFunction;
import io.sluice.api.windowing.Trigger;
import io.sluice.api.windowing.TriggerResult;
import io.sluice.api.windowing.Window;
import io.sluice.api.windowing.WindowAssigner;
import io.sluice.runtime.operator.AbstractOperator;
import io.sluice.runtime.operator.OneInputOperator;
import io.sluice.runtime.operator.OperatorException;
import io.sluice.runtime.operator.OperatorSetup;
import io.sluice.runtime.state.KeyedStateBackend;
import io.sluice.runtime.operator.InternalTimerService;
import io.sluice.runtime.timer.TimerQueue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The keyed window operator: assigns each record to windows, keeps their contents in keyed state namespaced by
 * window, and asks the trigger when to fire and purge. Semantics follow Flink's {@code WindowOperator}:
 * <ul>
 *   <li>Contents: one reduced value or accumulator per key and window for reduce/aggregate; the records for process
 *       functions; the records with timestamps when there is an evictor.
 *   <li>Timers: the trigger's, plus one cleanup timer per window at {@code maxTimestamp + allowedLateness} (event
 *       time) or {@code maxTimestamp} (processing time), all in the backend's timer queues with the window as
 *       namespace. The cleanup timer clears contents, trigger state and, for sessions, the window's entry.
 *   <li>Lateness: a window whose cleanup time the watermark has reached is late and takes no more records. A record
 *       none of whose windows took it, and whose own timestamp plus the allowed lateness is at or behind the
 *       watermark, goes to the late-data side output (counted in the operator's records out), or is dropped and
 *       counted in {@link #lateRecordsDropped()}.
 *   <li>Merging (sessions): the key's in-flight windows and their state windows are a {@link MergingWindowSet} in
 *       keyed map state; merges merge contents and trigger state, re-register the trigger's timers for the result
 *       and delete the merged windows' cleanup timers.
 * </ul>
 * Emitted records carry the timestamp {@code window.maxTimestamp()}. Task thread only.
 */
public final class WindowOperator<K, IN, W extends Window> extends AbstractOperator implements OneInputOperator<IN>,
        InternalTimerService.Target, WindowResults, ProcessWindowFunction.Context<W>, Evictor.EvictorContext,
        WindowAssigner.AssignerContext {

    /** The name of the contents state in the keyed backend. */
    static final String CONTENTS_STATE = "window-contents";
    static final String MERGING_SET_STATE = "window-merging-windows";
    static final String TIMERS = "window-timers";

    private final KeySelector<IN, K> keySelector;
    private final TypeSerializer<IN> inputType;
    private final WindowAssigner<IN, W> assigner;
    private final Trigger<IN, W> trigger;
    /** The trigger is the built-in event-time trigger, whose only per-record work is a timer at the window's end. */
    private final boolean eventTimeTrigger;
    /**
     * The built-in event-time trigger with no allowed lateness: a window's cleanup timer is the trigger's own timer
     * (same time, key and window), which the trigger registers and deletes, so the operator leaves it alone.
     */
    private final boolean cleanupTimerIsTriggerTimer;
    private final Evictor<IN, W> evictor;
    private final long allowedLateness;
    private final OutputTag<IN> lateDataTag;
    private final WindowFunctionSpec functionSpec;
    private final ProcessWindowFunction<Object, Object, K, W> windowFunction;

    private InternalTimerService timers;
    private WindowContents<IN, W> contents;
    private WindowTriggerContext<W> triggerContext;
    private MergingWindowSet<W> mergingWindows;
    private final MergingWindowSet.MergeFunction<W> mergeFunction = this::merge;
    /** Sliding windows kept as panes (one state update per record), when {@link SlidingPanes#applies}; else null. */
    private SlidingPanes panes;
    private final boolean usePanes;
    /** The window being fired, for the window function's context. */
    private W firing;
    private long lateRecordsDropped;

    /** Creates the operator from its spec (a subtask's own copy: the functions in it are this subtask's). */
    @SuppressWarnings("unchecked")
    public WindowOperator(OperatorSpec.WindowSpec spec) {
        this.keySelector = (KeySelector<IN, K>) spec.keySelector();
        this.inputType = (TypeSerializer<IN>) spec.inputType();
        this.assigner = (WindowAssigner<IN, W>) spec.assigner();
        this.trigger = (Trigger<IN, W>) spec.trigger();
        this.eventTimeTrigger = spec.trigger() instanceof io.sluice.api.windowing.triggers.EventTimeTrigger;
        this.evictor = (Evictor<IN, W>) spec.evictor();
        this.allowedLateness = spec.allowedLatenessMillis();
        this.cleanupTimerIsTriggerTimer = eventTimeTrigger && allowedLateness == 0 && spec.assigner().isEventTime();
        this.lateDataTag = (OutputTag<IN>) spec.lateDataTag();
        this.functionSpec = spec.function();
        this.windowFunction = (ProcessWindowFunction<Object, Object, K, W>) functionSpec.windowFunction();
        this.usePanes = SlidingPanes.applies(spec);
        if (allowedLateness < 0) {
            throw new IllegalArgumentException("the allowed lateness must not be negative, was " + allowedLateness);
        }
        if (assigner instanceof MergingWindowAssigner<?, ?> && !trigger.canMerge()) {
            throw new IllegalArgumentException("the trigger " + trigger + " cannot merge windows, which " + assigner + " needs");
        }
    }

    @Override
    protected Function function() {
        return null; // several user functions: opened and closed below
    }

    private List<Function> userFunctions() {
        List<Function> functions = new ArrayList<>(2);
        switch (functionSpec) {
            case WindowFunctionSpec.Reduce r -> functions.add(r.reducer());
            case WindowFunctionSpec.Aggregate a -> functions.add(a.aggregate());
            case WindowFunctionSpec.Process p -> { }
        }
        if (windowFunction != null) {
            functions.add(windowFunction);
        }
        return functions;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void open(OperatorSetup setup) throws Exception {
        super.open(setup);
        KeyedStateBackend backend = setup.stateBackend();
        if (backend == null) {
            throw new IllegalStateException("the window operator '" + setup.name() + "' needs a keyed state backend");
        }
        TypeSerializer<W> windowType = assigner.windowSerializer();
        timers = new InternalTimerService(backend, backend.timerQueues(TIMERS, windowType), setup.processingTime(), this);
        triggerContext = new WindowTriggerContext<>(timers, backend, windowType);
        contents = createContents(backend, windowType);
        if (usePanes) {
            panes = new SlidingPanes((io.sluice.api.windowing.assigners.SlidingEventTimeWindows) assigner,
                    (WindowFunctionSpec.Aggregate) functionSpec, backend);
        }
        if (assigner instanceof MergingWindowAssigner<?, ?> merging) {
            mergingWindows = new MergingWindowSet<>((MergingWindowAssigner<?, W>) merging,
                    backend.getState(new io.sluice.api.state.ValueStateDescriptor<>(MERGING_SET_STATE,
                            io.sluice.api.types.Types.map(windowType, windowType))));
        }
        for (Function f : userFunctions()) {
            f.open(this);
        }
        timers.restart();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private WindowContents<IN, W> createContents(KeyedStateBackend backend, TypeSerializer<W> windowType) {
        if (evictor != null) {
            EvictingContents.Evaluation<IN> evaluation = switch (functionSpec) {
                case WindowFunctionSpec.Reduce r -> EvictingContents.Evaluation.reduce((ReduceFunction<IN>) r.reducer());
                case WindowFunctionSpec.Aggregate a -> EvictingContents.Evaluation.aggregate((AggregateFunction) a.aggregate());
                case WindowFunctionSpec.Process p -> EvictingContents.Evaluation.process();
            };
            return EvictingContents.create(backend, inputType, windowType, evictor, this, evaluation);
        }
        return switch (functionSpec) {
            case WindowFunctionSpec.Reduce r -> ReduceContents.create(backend, (ReduceFunction<IN>) r.reducer(), inputType, windowType);
            case WindowFunctionSpec.Aggregate a -> AggregateContents.create(backend, (AggregateFunction) a.aggregate(),
                    (TypeSerializer) a.accumulatorType(), windowType);
            case WindowFunctionSpec.Process p -> ListContents.create(backend, inputType, windowType);
        };
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        for (Function f : userFunctions()) {
            try {
                f.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    // ---- records ----

    @Override
    public void processRecord(IN record, long ts) throws Exception {
        setup.stateBackend().setCurrentKey(keySelector.getKey(record));
        if (panes != null) {
            addToPane(record, ts);
            return;
        }
        Collection<W> windows = assigner.assignWindows(record, ts, this);
        boolean taken = mergingWindows != null ? addToMergingWindows(record, ts, windows) : addToWindows(record, ts, windows);
        if (!taken && isRecordLate(ts)) {
            if (lateDataTag != null) {
                output.emitSide(lateDataTag, record, ts);
            } else {
                lateRecordsDropped++;
            }
        }
    }

    /**
     * Pane mode: the record updates its pane; the pane's first record registers a timer at the end of the first
     * window containing the pane that has not fired yet, and each window that fires registers the next one's while
     * the key has panes in it ({@link #firePanes}): one timer per key at a time, not one per key and window. A record
     * all of whose windows fired is late.
     */
    private void addToPane(IN record, long ts) throws Exception {
        if (ts == Long.MIN_VALUE) {
            assigner.assignWindows(record, ts, this); // fails naming the missing timestamp and the fix
        }
        io.sluice.api.windowing.TimeWindow pane = panes.paneOf(ts);
        long watermark = timers.currentWatermark();
        long lastEnd = panes.lastWindowEnd(pane);
        if (lastEnd - 1 <= watermark) {
            if (lateDataTag != null) {
                output.emitSide(lateDataTag, record, ts);
            } else {
                lateRecordsDropped++;
            }
            return;
        }
        if (panes.add(record, pane)) {
            long size = lastEnd - pane.start();
            long end = pane.end();
            while (end - 1 <= watermark) {
                end += panes.slide(); // ends before lastEnd: the last window has not fired (checked above)
            }
            timers.registerEventTimeTimer(panes.window(end - size), end - 1);
        }
    }

    /** Pane mode: the window's result from its panes; then its oldest pane goes (no later window contains it). */
    @SuppressWarnings("unchecked")
    private void firePanes(io.sluice.api.windowing.TimeWindow window) throws Exception {
        Object result = panes.result(window);
        if (result != null) {
            firing = (W) window;
            timestamp = window.maxTimestamp();
            emit(java.util.Collections.singletonList(result));
            firing = null;
        }
        panes.drop(panes.pane(window.start()));
        if (panes.nextWindowHasPanes()) {
            long slide = panes.slide();
            timers.registerEventTimeTimer(panes.window(window.start() + slide), window.maxTimestamp() + slide);
        }
    }

    private boolean addToWindows(IN record, long ts, Collection<W> windows) throws Exception {
        boolean taken = false;
        for (W window : windows) {
            if (isWindowLate(window)) {
                continue;
            }
            taken = true;
            contents.setWindow(window);
            boolean first = contents.add(record, ts);
            if (first) {
                registerCleanupTimer(window); // deleted only with the window's contents (cleanup, merge)
            } else if (eventTimeTrigger && window.maxTimestamp() > timers.currentWatermark()) {
                // The built-in event-time trigger registered its timer (at the window's end) for the window's first
                // record and would only register it again: skip a timer-set probe per record and window.
                continue;
            }
            onElement(record, ts, window);
        }
        return taken;
    }

    private boolean addToMergingWindows(IN record, long ts, Collection<W> windows) throws Exception {
        boolean taken = false;
        mergingWindows.load();
        for (W window : windows) {
            W actual = mergingWindows.addWindow(window, mergeFunction);
            if (isWindowLate(actual)) {
                mergingWindows.retire(actual);
                continue;
            }
            taken = true;
            contents.setWindow(mergingWindows.stateWindow(actual));
            contents.add(record, ts);
            if (mergingWindows.lastWasInFlight()) {
                // Its cleanup timer is registered, and so is the built-in event-time trigger's timer while the
                // window's end is ahead of the watermark: skip two timer-set probes per record.
                if (eventTimeTrigger && actual.maxTimestamp() > timers.currentWatermark()) {
                    continue;
                }
                onElement(record, ts, actual);
                continue;
            }
            if (cleanupTimerIsTriggerTimer && mergingWindows.lastWasMerged()) {
                continue; // the trigger's onMerge registered the one timer the window needs
            }
            onElement(record, ts, actual);
            registerCleanupTimer(actual);
        }
        mergingWindows.persist();
        return taken;
    }

    /** Contents must be scoped to the window's state window. */
    private void onElement(IN record, long ts, W window) throws Exception {
        triggerContext.setWindow(window);
        act(trigger.onElement(record, ts, window, triggerContext), window);
    }

    private void act(TriggerResult result, W window) throws Exception {
        if (result.isFire()) {
            fire(window);
        }
        if (result.isPurge()) {
            contents.clear();
        }
    }

    private void fire(W window) throws Exception {
        firing = window;
        timestamp = window.maxTimestamp();
        contents.fire(window, this);
        firing = null;
    }

    /** Merges state, trigger state and timers of {@code mergedWindows} into {@code mergeResult}. */
    private void merge(W mergeResult, Collection<W> mergedWindows, W stateWindowResult, Collection<W> mergedStateWindows)
            throws Exception {
        if (assigner.isEventTime() ? cleanupTime(mergeResult) <= timers.currentWatermark()
                : mergeResult.maxTimestamp() <= timers.currentProcessingTime()) {
            throw new IllegalStateException("merging windows into " + mergeResult + " would give a window that is already "
                    + "past its end; the assigner " + assigner + " must not merge windows into an earlier end");
        }
        Collection<W> others = mergedWindows;
        if (mergedWindows.contains(mergeResult)) {
            others = new ArrayList<>(mergedWindows);
            others.remove(mergeResult);
        }
        triggerContext.setWindow(mergeResult);
        triggerContext.setMergedWindows(others);
        try {
            trigger.onMerge(mergeResult, triggerContext);
        } finally {
            triggerContext.setMergedWindows(List.of());
        }
        for (W merged : others) {
            triggerContext.setWindow(merged);
            trigger.clear(merged, triggerContext);
            deleteCleanupTimer(merged);
        }
        contents.merge(stateWindowResult, mergedStateWindows);
    }

    // ---- watermarks and timers ----

    @Override
    public void processWatermark(long wm) throws Exception {
        watermark = wm;
        timers.advanceWatermark(wm);
        output.emitWatermark(wm);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void onEventTime(TimerQueue.Timer timer) throws Exception {
        if (panes != null) {
            firePanes((io.sluice.api.windowing.TimeWindow) timer.namespace());
            return;
        }
        onTimer((W) timer.namespace(), timer.time(), true);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void onProcessingTime(TimerQueue.Timer timer) throws Exception {
        try {
            onTimer((W) timer.namespace(), timer.time(), false);
        } catch (OperatorException e) {
            throw e;
        } catch (Exception | Error e) {
            throw new OperatorException(setup.name(), e); // runs as a mail: name the operator here
        }
    }

    private void onTimer(W window, long time, boolean eventTime) throws Exception {
        if (mergingWindows != null) {
            mergingWindows.load();
            W stateWindow = mergingWindows.stateWindow(window);
            if (stateWindow == null) {
                return; // the window was merged away or cleaned up and a trigger left a timer behind
            }
            contents.setWindow(stateWindow);
        } else {
            contents.setWindow(window);
        }
        triggerContext.setWindow(window);
        TriggerResult result = eventTime ? trigger.onEventTime(time, window, triggerContext)
                : trigger.onProcessingTime(time, window, triggerContext);
        act(result, window);
        if (eventTime == assigner.isEventTime() && time == cleanupTime(window)) {
            clearAllState(window);
        }
        if (mergingWindows != null) {
            mergingWindows.persist();
        }
    }

    /** The window is done: its contents, trigger state and timers go (contents scoped to its state window). */
    private void clearAllState(W window) throws Exception {
        contents.clear();
        triggerContext.setWindow(window);
        trigger.clear(window, triggerContext);
        if (mergingWindows != null) {
            mergingWindows.retire(window);
        }
    }

    // ---- time arithmetic ----

    /** When the window's state goes: {@code Long.MAX_VALUE} means never (no cleanup timer). */
    private long cleanupTime(W window) {
        long max = window.maxTimestamp();
        if (!assigner.isEventTime()) {
            return max;
        }
        long cleanup = max + allowedLateness;
        return cleanup >= max ? cleanup : Long.MAX_VALUE;
    }

    private boolean isWindowLate(W window) {
        return assigner.isEventTime() && cleanupTime(window) <= timers.currentWatermark();
    }

    private boolean isRecordLate(long ts) {
        if (!assigner.isEventTime()) {
            return false;
        }
        long limit = ts + allowedLateness;
        return (limit >= ts ? limit : Long.MAX_VALUE) <= timers.currentWatermark();
    }

    /** With the trigger's onElement or onMerge for the window, in the same record. */
    private void registerCleanupTimer(W window) {
        long time = cleanupTime(window);
        if (time == Long.MAX_VALUE || cleanupTimerIsTriggerTimer) {
            return;
        }
        if (assigner.isEventTime()) {
            timers.registerEventTimeTimer(window, time);
        } else {
            timers.registerProcessingTimeTimer(window, time);
        }
    }

    /** After the trigger was cleared for the window. */
    private void deleteCleanupTimer(W window) {
        long time = cleanupTime(window);
        if (time == Long.MAX_VALUE || cleanupTimerIsTriggerTimer) {
            return;
        }
        if (assigner.isEventTime()) {
            timers.deleteEventTimeTimer(window, time);
        } else {
            timers.deleteProcessingTimeTimer(window, time);
        }
    }

    // ---- results ----

    @Override
    @SuppressWarnings("unchecked")
    public void emit(Iterable<?> values) throws Exception {
        if (windowFunction == null) {
            for (Object v : values) {
                output.emit(v, timestamp);
            }
        } else {
            windowFunction.process((K) setup.stateBackend().currentKey(), this, (Iterable<Object>) values, this);
        }
    }

    // ---- contexts: window function, evictor, assigner ----

    @Override
    public W window() {
        if (firing == null) {
            throw new IllegalStateException("window() is only defined while a window fires");
        }
        return firing;
    }

    @Override
    public long currentProcessingTime() {
        return setup.processingTime().currentTime();
    }

    /** Records dropped as late because no late-data side output was set (this subtask). */
    public long lateRecordsDropped() {
        return lateRecordsDropped;
    }
}
