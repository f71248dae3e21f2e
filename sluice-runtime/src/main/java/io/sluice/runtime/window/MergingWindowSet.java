package io.sluice.runtime.window;

import io.sluice.api.state.ValueState;
import io.sluice.api.windowing.MergingWindowAssigner;
import io.sluice.api.windowing.Window;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The in-flight windows of one key for a merging assigner, each mapped to its <em>state window</em>: the namespace
 * that holds its contents. When windows merge, the result takes over the state window of one of them and the
 * others' state is merged into it, so merging moves state once instead of re-keying it. The mapping lives in keyed
 * value state, one small map per key (so it is snapshotted with the windows' state): {@link #load} reads the current
 * key's map by reference (one lookup, never changed in place: snapshots may share it) and {@link #persist} writes a
 * new one if it changed. Task thread only.
 */
final class MergingWindowSet<W extends Window> {

    /** Applies one merge: state, triggers and timers of {@code mergedWindows} go into {@code mergeResult}. */
    @FunctionalInterface
    interface MergeFunction<W> {
        void merge(W mergeResult, Collection<W> mergedWindows, W stateWindowResult, Collection<W> mergedStateWindows)
                throws Exception;
    }

    private final MergingWindowAssigner<?, W> assigner;
    private final ValueState<Map<W, W>> state;
    private final Map<W, W> mapping = new HashMap<>();
    /** The stored map {@link #load} read (not to be changed), or {@code null}. */
    private Map<W, W> loaded;

    MergingWindowSet(MergingWindowAssigner<?, W> assigner, ValueState<Map<W, W>> state) {
        this.assigner = assigner;
        this.state = state;
    }

    /** Reads the current key's windows. */
    void load() {
        mapping.clear();
        loaded = state.value();
        if (loaded != null) {
            mapping.putAll(loaded);
        }
    }

    /** Writes the changes since {@link #load} to the current key's state. */
    void persist() {
        if (loaded == null ? mapping.isEmpty() : mapping.equals(loaded)) {
            return;
        }
        if (mapping.isEmpty()) {
            state.clear();
            loaded = null;
        } else {
            loaded = new HashMap<>(mapping);
            state.update(loaded);
        }
    }

    /** The state window of an in-flight window, or {@code null} if it is not in flight (merged away or retired). */
    W stateWindow(W window) {
        return mapping.get(window);
    }

    /** Removes a window that was cleaned up or dropped. */
    void retire(W window) {
        if (mapping.remove(window) == null) {
            throw new IllegalStateException("window " + window + " is not in flight");
        }
    }

    /**
     * Adds {@code newWindow}, merges what the assigner says must merge, and returns the window {@code newWindow} now
     * belongs to (itself, or the window it merged into). {@code mergeFunction} runs once per merge, before this
     * returns; it is not called when the new window only falls inside an existing one.
     */
    W addWindow(W newWindow, MergeFunction<W> mergeFunction) throws Exception {
        List<W> windows = new ArrayList<>(mapping.keySet());
        windows.add(newWindow);
        Map<W, List<W>> merges = new HashMap<>();
        assigner.mergeWindows(windows, (toBeMerged, mergeResult) -> merges.put(mergeResult, new ArrayList<>(toBeMerged)));

        W resultWindow = newWindow;
        boolean newWindowMerged = false;
        for (Map.Entry<W, List<W>> merge : merges.entrySet()) {
            W mergeResult = merge.getKey();
            List<W> mergedWindows = merge.getValue();
            if (mergedWindows.remove(newWindow)) { // the new window has no state of its own
                newWindowMerged = true;
                resultWindow = mergeResult;
            }
            if (mergedWindows.isEmpty()) {
                continue; // defensive: a group holding only the new window
            }
            // The result keeps the state window of one merged window; the others' state moves into it.
            W stateWindowResult = mapping.get(mergedWindows.getFirst());
            List<W> mergedStateWindows = new ArrayList<>();
            for (W merged : mergedWindows) {
                W stateWindow = mapping.remove(merged);
                if (stateWindow != null && !stateWindow.equals(stateWindowResult)) {
                    mergedStateWindows.add(stateWindow);
                }
            }
            mapping.put(mergeResult, stateWindowResult);
            boolean onlyGrewIntoExisting = mergedWindows.size() == 1 && mergedWindows.contains(mergeResult);
            if (!onlyGrewIntoExisting) {
                mergeFunction.merge(mergeResult, mergedWindows, stateWindowResult, mergedStateWindows);
            }
        }
        if (!newWindowMerged) {
            // A window of its own; an equal window already in flight (equal timestamps) keeps its state window.
            mapping.putIfAbsent(newWindow, newWindow);
        }
        return resultWindow;
    }

    @Override
    public String toString() {
        return "MergingWindowSet" + mapping;
    }
}
