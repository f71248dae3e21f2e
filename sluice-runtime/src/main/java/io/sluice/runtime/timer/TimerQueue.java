package io.sluice.runtime.timer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Timers of one time domain for one operator in one subtask: at most one per key, namespace and time; taken in
 * time order. Task thread only.
 */
public final class TimerQueue {

    /** A timer: a time, the key it belongs to and a namespace (a window, or the void namespace). */
    public record Timer(long time, Object key, Object namespace) {}

    private final PriorityQueue<Timer> queue = new PriorityQueue<>((a, b) -> Long.compare(a.time, b.time));
    private final HashSet<Timer> registered = new HashSet<>();

    /** Adds a timer; {@code false} if the same one was already there. */
    public boolean add(Timer timer) {
        if (registered.add(timer)) {
            queue.add(timer);
            return true;
        }
        return false;
    }

    public void remove(Timer timer) {
        if (registered.remove(timer)) {
            queue.remove(timer);
        }
    }

    /** The earliest timer, or {@code null}. */
    public Timer peek() {
        return queue.peek();
    }

    /** Removes and returns the earliest timer if its time is at most {@code time}; else {@code null}. */
    public Timer pollDue(long time) {
        Timer t = queue.peek();
        if (t == null || t.time > time) {
            return null;
        }
        queue.poll();
        registered.remove(t);
        return t;
    }

    public int size() {
        return registered.size();
    }

    /** A copy of every timer: the synchronous part of a snapshot. */
    public List<Timer> copy() {
        return new ArrayList<>(registered);
    }
}
