package io.sluice.state.rocksdb;

import io.sluice.runtime.timer.TimerQueue.Timer;
import java.util.Arrays;

/**
 * The earliest timers of one key group of a {@link RocksTimerQueue}, read ahead from RocksDB in key order, so taking
 * timers one after another reads RocksDB once per {@link #CAPACITY} timers rather than once per timer (each read is
 * a new iterator and a seek). Task thread only.
 *
 * <p>Invariant while {@link #loaded()}: every stored timer of the group whose key is at most {@link #bound()} is in
 * the run, in key order; when {@link #complete()}, every stored timer of the group is. Adds and removes of the
 * queue go to RocksDB and to the run ({@link #offer}, {@link #remove}) to keep it.
 */
final class TimerRun {
    /** How many timers a read takes ahead. */
    static final int CAPACITY = 64;

    private final byte[][] keys = new byte[CAPACITY + 1][];
    private final Timer[] timers = new Timer[CAPACITY + 1];
    private int first;
    private int end;
    private boolean loaded;
    private boolean complete;
    /** The largest key the run covers (see the invariant); {@code null} when complete or unknown. */
    private byte[] bound;

    boolean loaded() {
        return loaded;
    }

    boolean complete() {
        return complete;
    }

    /**
     * Where a read of the group may start: keys below it are in no stored timer (they were taken or removed), or
     * {@code null} when unknown.
     */
    byte[] bound() {
        return bound;
    }

    /** The earliest timer, or {@code null} if the group has none. Only while loaded. */
    Timer head() {
        return first < end ? timers[first] : null;
    }

    /** Starts a read: the run is emptied, then filled by {@link #append} in key order and closed by {@link #finishLoad}. */
    void startLoad() {
        Arrays.fill(keys, null);
        Arrays.fill(timers, null);
        first = 0;
        end = 0;
    }

    /** Appends the next stored timer; {@code false} once the run is full (the read stops). */
    boolean append(byte[] key, Timer timer) {
        if (end == CAPACITY) {
            return false;
        }
        keys[end] = key;
        timers[end++] = timer;
        return true;
    }

    /** Ends a read; {@code exhausted}: the group has no stored timer after those appended. */
    void finishLoad(boolean exhausted) {
        loaded = true;
        complete = exhausted;
        bound = exhausted ? null : keys[end - 1];
    }

    /** A timer was stored: it joins the run if it falls inside what the run covers. */
    void offer(byte[] key, Timer timer) {
        if (!loaded) {
            if (bound != null && Arrays.compareUnsigned(key, bound) <= 0) {
                bound = null; // a read may no longer start after it
            }
            return;
        }
        if (!complete && Arrays.compareUnsigned(key, bound) > 0) {
            return; // beyond the run: read when the run reaches it
        }
        int at = first;
        while (at < end) {
            int c = Arrays.compareUnsigned(key, keys[at]);
            if (c == 0) {
                return; // there already
            }
            if (c < 0) {
                break;
            }
            at++;
        }
        if (end == keys.length) { // then first > 0: the run holds at most CAPACITY
            int shift = first;
            compact();
            at -= shift;
        }
        insert(at, key, timer);
        if (end - first > CAPACITY) {
            // Over capacity: the last one stays in RocksDB only, and the run covers up to the one before it.
            keys[--end] = null;
            timers[end] = null;
            complete = false;
            bound = keys[end - 1];
        }
    }

    /** A timer was deleted: it leaves the run if it is in it. */
    void remove(byte[] key) {
        if (!loaded) {
            return;
        }
        for (int at = first; at < end; at++) {
            if (Arrays.equals(key, keys[at])) {
                System.arraycopy(keys, at + 1, keys, at, end - at - 1);
                System.arraycopy(timers, at + 1, timers, at, end - at - 1);
                keys[--end] = null;
                timers[end] = null;
                afterShrink();
                return;
            }
        }
    }

    /** Takes the earliest timer (the caller deletes it from RocksDB). */
    Timer pollFirst() {
        Timer t = timers[first];
        keys[first] = null;
        timers[first++] = null;
        afterShrink();
        return t;
    }

    private void afterShrink() {
        if (first == end) {
            first = 0;
            end = 0;
            if (!complete) {
                loaded = false; // read again from the bound when next needed
            }
        }
    }

    private void insert(int at, byte[] key, Timer timer) {
        System.arraycopy(keys, at, keys, at + 1, end - at);
        System.arraycopy(timers, at, timers, at + 1, end - at);
        keys[at] = key;
        timers[at] = timer;
        end++;
    }

    /** Moves the entries to the front of the arrays. */
    private void compact() {
        int n = end - first;
        System.arraycopy(keys, first, keys, 0, n);
        System.arraycopy(timers, first, timers, 0, n);
        Arrays.fill(keys, n, end, null);
        Arrays.fill(timers, n, end, null);
        first = 0;
        end = n;
    }
}
