package io.sluice.runtime.timer;

import io.sluice.runtime.hashing.OpenAddressing;
import java.util.function.Consumer;

/**
 * The entries of a {@link BucketedTimerQueue} by time (its capacity follows its size both ways): the one timer at a time ({@link TimerQueue.Timer}) or the
 * {@link TimerBucket} of several. Open addressing over a {@code long[]} of times (linear probing, load at most 1/2,
 * backward-shift deletion), so a lookup compares primitives and boxes nothing. Task thread only.
 */
final class TimerEntriesByTime {
    private static final int MIN_CAPACITY = 16;

    private long[] times = new long[MIN_CAPACITY];
    private Object[] entries = new Object[MIN_CAPACITY];
    private int size;

    int size() {
        return size;
    }

    /** The entry at {@code time}, or {@code null}. */
    Object get(long time) {
        int mask = entries.length - 1;
        for (int i = OpenAddressing.home(time, mask); entries[i] != null; i = (i + 1) & mask) {
            if (times[i] == time) {
                return entries[i];
            }
        }
        return null;
    }

    /** Sets the entry at {@code time}, replacing any. */
    void put(long time, Object entry) {
        int mask = entries.length - 1;
        int i = OpenAddressing.home(time, mask);
        for (; entries[i] != null; i = (i + 1) & mask) {
            if (times[i] == time) {
                entries[i] = entry;
                return;
            }
        }
        times[i] = time;
        entries[i] = entry;
        if (++size * 2 > entries.length) {
            resize(entries.length * 2);
        }
    }

    /** Removes the entry at {@code time}, if any. */
    void remove(long time) {
        int mask = entries.length - 1;
        int i = OpenAddressing.home(time, mask);
        while (entries[i] != null && times[i] != time) {
            i = (i + 1) & mask;
        }
        if (entries[i] == null) {
            return;
        }
        int gap = i;
        for (i = (i + 1) & mask; entries[i] != null; i = (i + 1) & mask) {
            // Move entry i into the gap if the gap lies on its probe path (between its home and i, cyclically).
            if (((i - OpenAddressing.home(times[i], mask)) & mask) >= ((i - gap) & mask)) {
                times[gap] = times[i];
                entries[gap] = entries[i];
                gap = i;
            }
        }
        entries[gap] = null;
        size--;
        if (size * 8 < entries.length && entries.length > MIN_CAPACITY) {
            resize(entries.length / 2); // after a burst of times: keep scans (timesInto, forEach) O(size)
        }
    }

    /** Writes every time with an entry into {@code out} from index 0 (it must have room for {@link #size}). */
    void timesInto(long[] out) {
        int n = 0;
        for (int i = 0; i < entries.length; i++) {
            if (entries[i] != null) {
                out[n++] = times[i];
            }
        }
    }

    void forEach(Consumer<Object> action) {
        for (Object entry : entries) {
            if (entry != null) {
                action.accept(entry);
            }
        }
    }

    private void resize(int capacity) {
        long[] oldTimes = times;
        Object[] oldEntries = entries;
        times = new long[capacity];
        entries = new Object[capacity];
        int mask = entries.length - 1;
        for (int j = 0; j < oldEntries.length; j++) {
            if (oldEntries[j] != null) {
                int i = OpenAddressing.home(oldTimes[j], mask);
                while (entries[i] != null) {
                    i = (i + 1) & mask;
                }
                times[i] = oldTimes[j];
                entries[i] = oldEntries[j];
            }
        }
    }
}
