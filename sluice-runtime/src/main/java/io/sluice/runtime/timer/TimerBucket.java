package io.sluice.runtime.timer;

import io.sluice.runtime.hashing.OpenAddressing;
import java.util.Arrays;
import java.util.List;

/**
 * The timers of one time that has more than one, in a {@link BucketedTimerQueue}, in the order they were added: they
 * are taken from the front (a cursor), removed ones leave a hole, added ones go to the end. At most one timer per key
 * and namespace: up to {@link #LINEAR} timers are searched by a scan of their hashes, more through an index (open
 * addressing over positions). Task thread only.
 *
 * <p>When holes outnumber twice the live timers (plus {@link #LINEAR}), a removal compacts the live timers to the
 * front, in order: a time where timers are registered and deleted over and over (an inactivity timeout) holds
 * O(live) positions, not one per registration.
 */
final class TimerBucket {
    /** Up to this many timers a scan of the hashes is faster than an index. */
    static final int LINEAR = 8;

    private TimerQueue.Timer[] timers = new TimerQueue.Timer[4];
    private int[] hashes = new int[4];
    /** Positions {@code [0, count)} were used. */
    private int count;
    /** Positions before it were taken or removed. */
    private int cursor;
    /** Timers at or after the cursor that were not removed. */
    private int live;
    /** Position + 1 per slot, 0 when free; {@code null} while {@code count <= LINEAR}. Stale positions are skipped. */
    private int[] index;

    int live() {
        return live;
    }

    /** The position of the timer equal to {@code timer}, or -1. */
    int find(TimerQueue.Timer timer, int hash) {
        if (index == null) {
            for (int pos = cursor; pos < count; pos++) {
                if (hashes[pos] == hash && matches(pos, timer)) {
                    return pos;
                }
            }
            return -1;
        }
        int mask = index.length - 1;
        for (int slot = OpenAddressing.home(hash, mask); index[slot] != 0; slot = (slot + 1) & mask) {
            int pos = index[slot] - 1;
            if (pos >= cursor && hashes[pos] == hash && matches(pos, timer)) {
                return pos;
            }
        }
        return -1;
    }

    private boolean matches(int pos, TimerQueue.Timer timer) {
        TimerQueue.Timer t = timers[pos];
        return t != null && (t == timer || t.equals(timer));
    }

    /** Appends a timer known not to be here (see {@link #find}). */
    void append(TimerQueue.Timer timer, int hash) {
        if (count == timers.length) {
            timers = Arrays.copyOf(timers, count * 2);
            hashes = Arrays.copyOf(hashes, count * 2);
        }
        int pos = count++;
        timers[pos] = timer;
        hashes[pos] = hash;
        live++;
        if (index != null && count * 2 <= index.length) {
            indexPosition(pos);
        } else if (count > LINEAR) {
            rebuildIndex();
        }
    }

    /** Removes the timer at {@code pos} (from {@link #find}); positions may move (see the class comment). */
    void removeAt(int pos) {
        timers[pos] = null;
        live--;
        if (count - live > 2 * live + LINEAR) {
            compact();
        }
    }

    /** Positions in use: live timers and holes after the cursor (tests: they stay O(live)). */
    int positions() {
        return count - cursor;
    }

    /** The first timer not taken or removed, or {@code null}; moves the cursor past holes. */
    TimerQueue.Timer peek() {
        while (cursor < count) {
            TimerQueue.Timer t = timers[cursor];
            if (t != null) {
                return t;
            }
            cursor++;
        }
        return null;
    }

    /** Takes the timer {@link #peek} returned. */
    void poll() {
        timers[cursor++] = null;
        live--;
    }

    void addLiveTo(List<TimerQueue.Timer> out) {
        for (int pos = cursor; pos < count; pos++) {
            if (timers[pos] != null) {
                out.add(timers[pos]);
            }
        }
    }

    /** Moves the live timers to positions {@code 0..live-1}, in order, into arrays sized to them. */
    private void compact() {
        TimerQueue.Timer[] keptTimers = new TimerQueue.Timer[Math.max(4, 2 * live)];
        int[] keptHashes = new int[keptTimers.length];
        int n = 0;
        for (int pos = cursor; pos < count; pos++) {
            if (timers[pos] != null) {
                keptTimers[n] = timers[pos];
                keptHashes[n++] = hashes[pos];
            }
        }
        timers = keptTimers;
        hashes = keptHashes;
        cursor = 0;
        count = n;
        index = null;
        if (count > LINEAR) {
            rebuildIndex();
        }
    }

    private void rebuildIndex() {
        int capacity = Integer.highestOneBit(Math.max(count, LINEAR) * 4 - 1);
        index = new int[capacity];
        for (int pos = cursor; pos < count; pos++) {
            if (timers[pos] != null) {
                indexPosition(pos);
            }
        }
    }

    private void indexPosition(int pos) {
        int mask = index.length - 1;
        int slot = OpenAddressing.home(hashes[pos], mask);
        while (index[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        index[slot] = pos + 1;
    }
}
