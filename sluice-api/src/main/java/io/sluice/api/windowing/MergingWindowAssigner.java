package io.sluice.api.windowing;

import java.util.Collection;

/**
 * An assigner whose windows may merge, such as sessions: after each record's window is added, the key's windows
 * are passed to {@link #mergeWindows}, and the operator merges the state, triggers and timers of each group it
 * reports. Its triggers must support merging ({@link Trigger#canMerge()}).
 */
public interface MergingWindowAssigner<T, W extends Window> extends WindowAssigner<T, W> {

    /**
     * Finds the windows of one key that are to be merged: calls {@code callback} once per group of two or more
     * windows, with the window that replaces the group. Windows not reported stay as they are.
     */
    void mergeWindows(Collection<W> windows, MergeCallback<W> callback);

    /** Receives the merge groups found by {@link #mergeWindows}. */
    @FunctionalInterface
    interface MergeCallback<W> {
        /** {@code toBeMerged} (two or more windows) become {@code mergeResult}. */
        void merge(Collection<W> toBeMerged, W mergeResult);
    }
}
