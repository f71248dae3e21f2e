package io.sluice.runtime.timer;

import java.util.List;

/**
 * The timers of one time in a {@link BucketedTimerQueue} that has more than one, in the order they were added: they are taken from the front
 * (a cursor), removed ones leave a hole, added ones go to the end. At most one timer per key and namespace: up to
 * {@link #LINEAR} timers are searched by a scan of their hashes, more through an index (open addressing over
 * positions). Task thread only.
 *
 * <p>Positions grow while timers are added; taken and removed ones leave holes. When holes outnumber twice the live
 * timers (plus {@link #LINEAR}), a removal compacts the live timers to the front, in order: a time where timers are
 * registered and deleted over and over (an inactivity timeout) holds O(live) positions, not one per registration.
 */
final class TimerBucket {
    /** Up to this many timers a scan of the hashes is faster than an index. */
    static final int LINEAR = 8;

    /** Position 0, in fields: most times have one timer, and then the bucket is one object. */
    private TimerQueue.Timer first;
    private int firstHash;
    /** Positions 1 and on, at {@code position - 1}; {@code null} until a second timer comes. */
    private TimerQueue.Timer[] rest;
    private int[] restHashes;
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
                if (hashAt(pos) == hash && matches(pos, timer)) {
                    return pos;
                }
            }
            return -1;
        }
        int mask = index.length - 1;
        for (int slot = home(hash, mask); index[slot] != 0; slot = (slot + 1) & mask) {
            int pos = index[slot] - 1;
            if (pos >= cursor && hashAt(pos) == hash && matches(pos, timer)) {
                return pos;
            }
        }
        return -1;
    }

    private boolean matches(int pos, TimerQueue.Timer timer) {
        TimerQueue.Timer t = timerAt(pos);
        return t != null && (t == timer || t.equals(timer));
    }

    private TimerQueue.Timer timerAt(int pos) {
        return pos == 0 ? first : rest[pos - 1];
    }

    private int hashAt(int pos) {
        return pos == 0 ? firstHash : restHashes[pos - 1];
    }

    private void clearAt(int pos) {
        if (pos == 0) {
            first = null;
        } else {
            rest[pos - 1] = null;
        }
    }

    /** Appends a timer known not to be here (see {@link #find}). */
    void append(TimerQueue.Timer timer, int hash) {
        int pos = count++;
        if (pos == 0) {
            first = timer;
            firstHash = hash;
        } else {
            if (rest == null) {
                rest = new TimerQueue.Timer[2];
                restHashes = new int[2];
            } else if (pos > rest.length) {
                rest = java.util.Arrays.copyOf(rest, rest.length * 2);
                restHashes = java.util.Arrays.copyOf(restHashes, rest.length);
            }
            rest[pos - 1] = timer;
            restHashes[pos - 1] = hash;
        }
        live++;
        if (index != null && count * 2 <= index.length) {
            indexPosition(pos);
        } else if (count > LINEAR) {
            rebuildIndex();
        }
    }

    /** Removes the timer at {@code pos} (from {@link #find}); positions may move (see the class comment). */
    void removeAt(int pos) {
        clearAt(pos);
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
            TimerQueue.Timer t = timerAt(cursor);
            if (t != null) {
                return t;
            }
            cursor++;
        }
        return null;
    }

    /** Takes the timer {@link #peek} returned. */
    void poll() {
        clearAt(cursor++);
        live--;
    }

    void addLiveTo(List<TimerQueue.Timer> out) {
        for (int pos = cursor; pos < count; pos++) {
            TimerQueue.Timer t = timerAt(pos);
            if (t != null) {
                out.add(t);
            }
        }
    }

    /** Moves the live timers to positions {@code 0..live-1}, in order, into arrays sized to them. */
    private void compact() {
        TimerQueue.Timer[] keptTimers = live > 1 ? new TimerQueue.Timer[2 * (live - 1)] : null;
        int[] keptHashes = live > 1 ? new int[keptTimers.length] : null;
        TimerQueue.Timer keptFirst = null;
        int keptFirstHash = 0;
        int n = 0;
        for (int pos = cursor; pos < count; pos++) {
            TimerQueue.Timer t = timerAt(pos);
            if (t == null) {
                continue;
            }
            if (n == 0) {
                keptFirst = t;
                keptFirstHash = hashAt(pos);
            } else {
                keptTimers[n - 1] = t;
                keptHashes[n - 1] = hashAt(pos);
            }
            n++;
        }
        first = keptFirst;
        firstHash = keptFirstHash;
        rest = keptTimers;
        restHashes = keptHashes;
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
            if (timerAt(pos) != null) {
                indexPosition(pos);
            }
        }
    }

    private void indexPosition(int pos) {
        int mask = index.length - 1;
        int slot = home(hashAt(pos), mask);
        while (index[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        index[slot] = pos + 1;
    }

    /** Fibonacci hashing: the high bits of the product. */
    private static int home(int hash, int mask) {
        return (hash * 0x9E3779B9) >>> (32 - Integer.bitCount(mask));
    }
}
