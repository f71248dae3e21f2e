package io.sluice.runtime.timer;

import java.util.List;

/**
 * Timers of one time domain for one operator in one subtask: at most one per key, namespace and time; taken in
 * time order (timers with equal times in no defined order). Implemented on the heap ({@link BucketedTimerQueue}) and by
 * backends that store timers themselves (RocksDB). Task thread only.
 */
public interface TimerQueue {

    /**
     * A timer: a time, the key it belongs to and a namespace (a window, or the void namespace). Equality and hash are
     * written out: timer sets probe them for every registration.
     */
    record Timer(long time, Object key, Object namespace) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Timer other && time == other.time && (key == other.key || key.equals(other.key))
                    && (namespace == other.namespace || namespace.equals(other.namespace));
        }

        @Override
        public int hashCode() {
            return (Long.hashCode(time) * 31 + key.hashCode()) * 31 + namespace.hashCode();
        }
    }

    /** Adds a timer; {@code false} if the same one was already there. */
    boolean add(Timer timer);

    /**
     * Adds a timer unless the same one is there, without telling which: queues that would have to read their store
     * to tell (RocksDB) write blindly. For callers that do not need {@link #add}'s answer.
     */
    default void put(Timer timer) {
        add(timer);
    }

    /** Removes a timer; nothing happens if it is not there. */
    void remove(Timer timer);

    /** The earliest timer, or {@code null}. */
    Timer peek();

    /** Removes and returns the earliest timer if its time is at most {@code time}; else {@code null}. */
    Timer pollDue(long time);

    /** The number of timers. */
    int size();

    /** A copy of every timer, in no particular order: the synchronous part of a heap snapshot. */
    List<Timer> copy();
}
