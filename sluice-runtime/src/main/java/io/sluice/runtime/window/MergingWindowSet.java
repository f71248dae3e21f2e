package io.sluice.runtime.window;

import io.sluice.api.state.ValueState;
import io.sluice.api.windowing.MergingWindowAssigner;
import io.sluice.api.windowing.TimeWindow;
import io.sluice.api.windowing.Window;
import io.sluice.api.windowing.assigners.EventTimeSessionWindows;
import io.sluice.api.windowing.assigners.ProcessingTimeSessionWindows;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The in-flight windows of one key for a merging assigner, each mapped to its <em>state window</em>: the namespace
 * that holds its contents. When windows merge, the result takes over the state window of one of them and the
 * others' state is merged into it, so merging moves state once instead of re-keying it. The mapping lives in keyed
 * value state, one small map per key (so it is snapshotted with the windows' state). Task thread only.
 *
 * <p>{@link #load} reads the current key's stored map by reference (one lookup); the first change copies it (stored
 * maps are never changed in place: snapshots may share them) and {@link #persist} writes the copy. A record that
 * falls into a session already in flight therefore costs one lookup and no allocation.
 *
 * <p>For the built-in session assigners, whose windows merge exactly when they overlap or touch
 * ({@link TimeWindow#mergeWindows}), a key with at most one window in flight (the usual case: each record extends
 * its key's session) is merged directly, with the same outcome as the general path and without its collections.
 */
final class MergingWindowSet<W extends Window> {

    /** Applies one merge: state, triggers and timers of {@code mergedWindows} go into {@code mergeResult}. */
    @FunctionalInterface
    interface MergeFunction<W> {
        void merge(W mergeResult, Collection<W> mergedWindows, W stateWindowResult, Collection<W> mergedStateWindows)
                throws Exception;
    }

    private final MergingWindowAssigner<?, W> assigner;
    /** The assigner merges time windows exactly when they intersect (the built-in sessions). */
    private final boolean mergesOverlappingTimeWindows;
    private final ValueState<Map<W, W>> state;
    /** The stored map {@link #load} read (never changed), or {@code null}. */
    private Map<W, W> loaded;
    /** The current mapping: {@link #loaded} until the first change, then a new map. */
    private Map<W, W> mapping = Map.of();
    /** {@link #mapping} differs from {@link #loaded} and is to be written by {@link #persist}. */
    private boolean changed;
    /** {@link #mapping} is this set's own mutable copy (else read-only: the stored map or an immutable one). */
    private boolean mutable;
    /** Whether the last {@link #addWindow} returned a window that was in flight before, unchanged. */
    private boolean lastWasInFlight;
    /** Whether the last {@link #addWindow} returned the result of a merge it made. */
    private boolean lastWasMerged;

    MergingWindowSet(MergingWindowAssigner<?, W> assigner, ValueState<Map<W, W>> state) {
        this.assigner = assigner;
        this.mergesOverlappingTimeWindows = assigner instanceof EventTimeSessionWindows
                || assigner instanceof ProcessingTimeSessionWindows;
        this.state = state;
    }

    /** Reads the current key's windows. */
    void load() {
        loaded = state.value();
        mapping = loaded != null ? loaded : Map.of();
        changed = false;
        mutable = false;
    }

    /** Writes the changes since {@link #load} to the current key's state. */
    void persist() {
        if (!changed || (loaded == null ? mapping.isEmpty() : mapping.equals(loaded))) {
            return;
        }
        if (mapping.isEmpty()) {
            state.clear();
            loaded = null;
            mapping = Map.of();
        } else {
            state.update(mapping); // handed over: the next change copies it again
            loaded = mapping;
        }
        changed = false;
        mutable = false;
    }

    /** The state window of an in-flight window, or {@code null} if it is not in flight (merged away or retired). */
    W stateWindow(W window) {
        return mapping.get(window);
    }

    /** Removes a window that was cleaned up or dropped. */
    void retire(W window) {
        if (writable().remove(window) == null) {
            throw new IllegalStateException("window " + window + " is not in flight");
        }
    }

    /**
     * Whether the window the last {@link #addWindow} returned was already in flight and did not change (so its
     * timers are registered already).
     */
    boolean lastWasInFlight() {
        return lastWasInFlight;
    }

    /** Whether the window the last {@link #addWindow} returned came from a merge (the merge function ran for it). */
    boolean lastWasMerged() {
        return lastWasMerged;
    }

    /**
     * Adds {@code newWindow}, merges what the assigner says must merge, and returns the window {@code newWindow} now
     * belongs to (itself, or the window it merged into). {@code mergeFunction} runs once per merge, before this
     * returns; it is not called when the new window only falls inside an existing one.
     */
    W addWindow(W newWindow, MergeFunction<W> mergeFunction) throws Exception {
        lastWasMerged = false;
        if (mergesOverlappingTimeWindows && mapping.size() <= 1) {
            return addToAtMostOneTimeWindow(newWindow, mergeFunction);
        }
        List<W> windows = new ArrayList<>(mapping.keySet());
        windows.add(newWindow);
        Map<W, List<W>> merges = new HashMap<>();
        assigner.mergeWindows(windows, (toBeMerged, mergeResult) -> merges.put(mergeResult, new ArrayList<>(toBeMerged)));

        W resultWindow = newWindow;
        boolean newWindowMerged = false;
        boolean resultChanged = false;
        for (Map.Entry<W, List<W>> merge : merges.entrySet()) {
            W mergeResult = merge.getKey();
            List<W> mergedWindows = merge.getValue();
            boolean holdsNewWindow = mergedWindows.remove(newWindow); // the new window has no state of its own
            if (holdsNewWindow) {
                newWindowMerged = true;
                resultWindow = mergeResult;
            }
            if (mergedWindows.isEmpty()) {
                resultChanged |= holdsNewWindow;
                continue; // defensive: a group holding only the new window
            }
            // The result keeps the state window of one merged window; the others' state moves into it.
            Map<W, W> writable = writable();
            W stateWindowResult = writable.get(mergedWindows.getFirst());
            List<W> mergedStateWindows = new ArrayList<>();
            for (W merged : mergedWindows) {
                W stateWindow = writable.remove(merged);
                if (stateWindow != null && !stateWindow.equals(stateWindowResult)) {
                    mergedStateWindows.add(stateWindow);
                }
            }
            writable.put(mergeResult, stateWindowResult);
            boolean onlyGrewIntoExisting = mergedWindows.size() == 1 && mergedWindows.contains(mergeResult);
            if (!onlyGrewIntoExisting) {
                mergeFunction.merge(mergeResult, mergedWindows, stateWindowResult, mergedStateWindows);
                resultChanged |= holdsNewWindow;
            }
        }
        if (!newWindowMerged) {
            // A window of its own; an equal window already in flight (equal timestamps) keeps its state window.
            lastWasInFlight = mapping.containsKey(newWindow);
            if (!lastWasInFlight) {
                writable().put(newWindow, newWindow);
            }
        } else {
            lastWasInFlight = !resultChanged;
            lastWasMerged = resultChanged;
        }
        return resultWindow;
    }

    /** {@link #addWindow} for time windows that merge when they intersect, with at most one window in flight. */
    @SuppressWarnings("unchecked")
    private W addToAtMostOneTimeWindow(W newWindow, MergeFunction<W> mergeFunction) throws Exception {
        if (mapping.isEmpty()) {
            lastWasInFlight = false;
            writable().put(newWindow, newWindow);
            return newWindow;
        }
        Map.Entry<W, W> only = mapping.entrySet().iterator().next();
        W existingWindow = only.getKey();
        W stateWindow = only.getValue();
        TimeWindow existing = (TimeWindow) existingWindow;
        TimeWindow added = (TimeWindow) newWindow;
        if (!existing.intersects(added)) {
            lastWasInFlight = false;
            writable().put(newWindow, newWindow);
            return newWindow;
        }
        if (existing.start() <= added.start() && existing.end() >= added.end()) {
            lastWasInFlight = true; // inside (or equal to) the session in flight
            return existingWindow;
        }
        W cover = (W) existing.cover(added);
        mapping = Map.of(cover, stateWindow);
        changed = true;
        mutable = false;
        lastWasInFlight = false;
        lastWasMerged = true;
        mergeFunction.merge(cover, List.of(existingWindow), stateWindow, List.of());
        return cover;
    }

    /** The mapping, copied on the first change after {@link #load}. */
    private Map<W, W> writable() {
        if (!mutable) {
            mapping = new HashMap<>(mapping);
            mutable = true;
            changed = true;
        }
        return mapping;
    }

    @Override
    public String toString() {
        return "MergingWindowSet" + mapping;
    }
}
