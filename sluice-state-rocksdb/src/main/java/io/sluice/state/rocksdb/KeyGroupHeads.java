package io.sluice.state.rocksdb;

/**
 * The key groups of a {@link RocksTimerQueue} ordered by the time of their earliest timer: an indexed binary
 * min-heap, so finding the next group to fire from costs O(1) and a change of one group's earliest timer O(log n),
 * instead of a scan over every key group of the range after each fired timer. Groups without timers sort last.
 *
 * <p>A group whose earliest timer is not known without reading RocksDB is <i>stale</i>: the queue resolves stale
 * groups (reading them) before it asks for {@link #first()}. All groups start stale. Task thread only.
 */
final class KeyGroupHeads {
    private final long[] time;
    private final boolean[] empty;
    /** Group indices in heap order. */
    private final int[] heap;
    /** Per group: its position in {@link #heap}. */
    private final int[] position;
    private final boolean[] stale;
    private final int[] staleGroups;
    private int staleCount;

    KeyGroupHeads(int groups) {
        time = new long[groups];
        empty = new boolean[groups];
        heap = new int[groups];
        position = new int[groups];
        stale = new boolean[groups];
        staleGroups = new int[groups];
        for (int g = 0; g < groups; g++) {
            heap[g] = g;
            position[g] = g;
            empty[g] = true;
            markStale(g);
        }
    }

    void markStale(int group) {
        if (!stale[group]) {
            stale[group] = true;
            staleGroups[staleCount++] = group;
        }
    }

    boolean hasStale() {
        return staleCount > 0;
    }

    /** Takes a stale group off the stale list; the caller then {@link #set}s or {@link #setEmpty}s it. */
    int takeStale() {
        int g = staleGroups[--staleCount];
        stale[g] = false;
        return g;
    }

    /** The group's earliest timer is at {@code t}. */
    void set(int group, long t) {
        boolean wasEmpty = empty[group];
        long old = time[group];
        time[group] = t;
        empty[group] = false;
        if (wasEmpty || t < old) {
            siftUp(position[group]);
        } else {
            siftDown(position[group]);
        }
    }

    /** The group has no timers. */
    void setEmpty(int group) {
        if (!empty[group]) {
            empty[group] = true;
            siftDown(position[group]);
        }
    }

    /** The group with the earliest timer, or -1 if no group has one. Call with no stale groups. */
    int first() {
        return heap.length == 0 || empty[heap[0]] ? -1 : heap[0];
    }

    private boolean before(int a, int b) {
        return !empty[a] && (empty[b] || time[a] < time[b]);
    }

    private void siftUp(int at) {
        int g = heap[at];
        while (at > 0) {
            int parent = (at - 1) >>> 1;
            if (!before(g, heap[parent])) {
                break;
            }
            place(heap[parent], at);
            at = parent;
        }
        place(g, at);
    }

    private void siftDown(int at) {
        int g = heap[at];
        int n = heap.length;
        while (true) {
            int child = 2 * at + 1;
            if (child >= n) {
                break;
            }
            if (child + 1 < n && before(heap[child + 1], heap[child])) {
                child++;
            }
            if (!before(heap[child], g)) {
                break;
            }
            place(heap[child], at);
            at = child;
        }
        place(g, at);
    }

    private void place(int group, int at) {
        heap[at] = group;
        position[group] = at;
    }
}
