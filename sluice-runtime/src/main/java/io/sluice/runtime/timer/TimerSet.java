package io.sluice.runtime.timer;

import java.util.List;

/**
 * The registered timers of a {@link HeapTimerQueue}: an open-addressing hash set (linear probing, load at most 1/2,
 * backward-shift deletion) over parallel arrays of hashes and timer references. Task thread only.
 *
 * <p>Why not {@link java.util.HashSet}: a fired timer leaves the set by the very instance the set holds, so
 * {@link #removeSame} finds it by comparing hashes and references inside two arrays, never touching a node or the
 * timer's key; {@code HashSet.remove} walks node objects and calls {@code equals}, a cache miss or two per timer,
 * which dominated windowed jobs (one timer per key and window).
 */
final class TimerSet {
    private static final int MIN_CAPACITY = 16;

    private int[] hashes = new int[MIN_CAPACITY];
    private TimerQueue.Timer[] timers = new TimerQueue.Timer[MIN_CAPACITY];
    private int size;

    int size() {
        return size;
    }

    /** Adds {@code timer} unless an equal one is there; {@code true} if added. */
    boolean add(TimerQueue.Timer timer, int hash) {
        int mask = timers.length - 1;
        int i = home(hash, mask);
        TimerQueue.Timer t;
        while ((t = timers[i]) != null) {
            if (hashes[i] == hash && (t == timer || t.equals(timer))) {
                return false;
            }
            i = (i + 1) & mask;
        }
        timers[i] = timer;
        hashes[i] = hash;
        if (++size * 2 > timers.length) {
            grow();
        }
        return true;
    }

    /** Whether this very instance is in the set. */
    boolean containsSame(TimerQueue.Timer timer, int hash) {
        return slotOfSame(timer, hash) >= 0;
    }

    /** Removes this very instance (a timer taken from the queue); {@code false} if it is not in the set. */
    boolean removeSame(TimerQueue.Timer timer, int hash) {
        int slot = slotOfSame(timer, hash);
        if (slot < 0) {
            return false;
        }
        removeAt(slot);
        return true;
    }

    /** Removes the timer equal to {@code timer}; {@code false} if there is none. */
    boolean removeEqual(TimerQueue.Timer timer, int hash) {
        int mask = timers.length - 1;
        int i = home(hash, mask);
        TimerQueue.Timer t;
        while ((t = timers[i]) != null) {
            if (hashes[i] == hash && (t == timer || t.equals(timer))) {
                removeAt(i);
                return true;
            }
            i = (i + 1) & mask;
        }
        return false;
    }

    void addAllTo(List<TimerQueue.Timer> out) {
        for (TimerQueue.Timer t : timers) {
            if (t != null) {
                out.add(t);
            }
        }
    }

    private int slotOfSame(TimerQueue.Timer timer, int hash) {
        int mask = timers.length - 1;
        int i = home(hash, mask);
        TimerQueue.Timer t;
        while ((t = timers[i]) != null) {
            if (t == timer) {
                return i;
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    private void removeAt(int slot) {
        int mask = timers.length - 1;
        int gap = slot;
        int i = (slot + 1) & mask;
        while (timers[i] != null) {
            int home = home(hashes[i], mask);
            // Move entry i into the gap if the gap lies on its probe path (between its home and i, cyclically).
            if (((i - home) & mask) >= ((i - gap) & mask)) {
                timers[gap] = timers[i];
                hashes[gap] = hashes[i];
                gap = i;
            }
            i = (i + 1) & mask;
        }
        timers[gap] = null;
        size--;
    }

    private void grow() {
        TimerQueue.Timer[] oldTimers = timers;
        int[] oldHashes = hashes;
        timers = new TimerQueue.Timer[oldTimers.length * 2];
        hashes = new int[oldTimers.length * 2];
        int mask = timers.length - 1;
        for (int j = 0; j < oldTimers.length; j++) {
            if (oldTimers[j] != null) {
                int i = home(oldHashes[j], mask);
                while (timers[i] != null) {
                    i = (i + 1) & mask;
                }
                timers[i] = oldTimers[j];
                hashes[i] = oldHashes[j];
            }
        }
    }

    /** Fibonacci hashing: the high bits of the product, so hashes differing in any bits spread. */
    private static int home(int hash, int mask) {
        return (hash * 0x9E3779B9) >>> (32 - Integer.bitCount(mask));
    }
}
