package io.sluice.runtime.timer;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link TimerQueue} on the heap: a binary min-heap of timers by time plus the set of registered timers
 * ({@link TimerSet}). Task thread only.
 *
 * <p>The heap keeps each entry's time and hash in primitive arrays beside the timer, so sifting compares longs in one
 * array and never dereferences a timer, and a fired timer leaves the set by identity. Removal is lazy: a removed
 * timer only leaves the set; its heap entry is skipped when it reaches the head (checked only while such stale
 * entries exist), and the heap is rebuilt from the set when stale entries outnumber live ones.
 */
public final class HeapTimerQueue implements TimerQueue {
    private long[] times = new long[16];
    private Timer[] entries = new Timer[16];
    private int[] hashes = new int[16];
    private int heapSize;
    /** Heap entries whose timer was removed from the set: skipped at the head. */
    private int stale;
    private final TimerSet registered = new TimerSet();

    @Override
    public boolean add(Timer timer) {
        int hash = timer.hashCode();
        if (!registered.add(timer, hash)) {
            return false;
        }
        push(timer, hash);
        return true;
    }

    @Override
    public void remove(Timer timer) {
        if (registered.removeEqual(timer, timer.hashCode())) {
            stale++;
            if (heapSize > 2 * registered.size() + 64) {
                rebuild();
            }
        }
    }

    @Override
    public Timer peek() {
        while (stale > 0 && heapSize > 0 && !registered.containsSame(entries[0], hashes[0])) {
            pop(); // removed earlier, or replaced by an equal timer added later
            stale--;
        }
        return heapSize == 0 ? null : entries[0];
    }

    @Override
    public Timer pollDue(long time) {
        Timer t = peek();
        if (t == null || times[0] > time) {
            return null;
        }
        int hash = hashes[0];
        pop();
        registered.removeSame(t, hash);
        return t;
    }

    @Override
    public int size() {
        return registered.size();
    }

    @Override
    public List<Timer> copy() {
        List<Timer> all = new ArrayList<>(registered.size());
        registered.addAllTo(all);
        return all;
    }

    private void push(Timer timer, int hash) {
        if (heapSize == times.length) {
            int capacity = heapSize * 2;
            times = java.util.Arrays.copyOf(times, capacity);
            entries = java.util.Arrays.copyOf(entries, capacity);
            hashes = java.util.Arrays.copyOf(hashes, capacity);
        }
        int i = heapSize++;
        long time = timer.time();
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (times[parent] <= time) {
                break;
            }
            move(parent, i);
            i = parent;
        }
        set(i, time, timer, hash);
    }

    private void pop() {
        int last = --heapSize;
        long time = times[last];
        Timer timer = entries[last];
        int hash = hashes[last];
        entries[last] = null;
        if (last == 0) {
            return;
        }
        set(0, time, timer, hash);
        siftDown(0);
    }

    private void move(int from, int to) {
        times[to] = times[from];
        entries[to] = entries[from];
        hashes[to] = hashes[from];
    }

    private void set(int i, long time, Timer timer, int hash) {
        times[i] = time;
        entries[i] = timer;
        hashes[i] = hash;
    }

    /** Drops the stale entries: the heap again holds exactly the registered timers. */
    private void rebuild() {
        int kept = 0;
        for (int i = 0; i < heapSize; i++) { // compact in place: no allocation, no scan of the set
            if (registered.containsSame(entries[i], hashes[i])) {
                move(i, kept++);
            }
        }
        if (kept == registered.size()) {
            java.util.Arrays.fill(entries, kept, heapSize, null);
            heapSize = kept;
            heapify();
            return;
        }
        rebuildFromSet(); // a timer object added again after its removal sits in the heap twice: start over
    }

    private void rebuildFromSet() {
        List<Timer> live = copy();
        java.util.Arrays.fill(entries, null);
        heapSize = live.size();
        for (int i = 0; i < heapSize; i++) {
            Timer t = live.get(i);
            set(i, t.time(), t, t.hashCode());
        }
        heapify();
    }

    private void heapify() {
        for (int i = (heapSize >>> 1) - 1; i >= 0; i--) { // O(n), not n pushes
            siftDown(i);
        }
        stale = 0;
    }

    private void siftDown(int i) {
        long time = times[i];
        Timer timer = entries[i];
        int hash = hashes[i];
        int half = heapSize >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            if (child + 1 < heapSize && times[child + 1] < times[child]) {
                child++;
            }
            if (time <= times[child]) {
                break;
            }
            move(child, i);
            i = child;
        }
        set(i, time, timer, hash);
    }
}
