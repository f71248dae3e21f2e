package io.sluice.runtime.timer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Timers of one time domain for one operator in one subtask: at most one per key, namespace and time; taken in
 * time order. Task thread only.
 *
 * <p>Removal is lazy, so every operation is O(log n) (windows delete a timer on most records: session merges): a removed
 * timer only leaves the registered set, and its entry in the heap is skipped when it reaches the head. The heap is
 * rebuilt from the registered set when stale entries outnumber live ones.
 */
public final class TimerQueue {

    /** A timer: a time, the key it belongs to and a namespace (a window, or the void namespace). */
    public record Timer(long time, Object key, Object namespace) {}

    private final PriorityQueue<Timer> queue = new PriorityQueue<>((a, b) -> Long.compare(a.time, b.time));
    private final HashSet<Timer> registered = new HashSet<>();

    /** Adds a timer; {@code false} if the same one was already there. */
    public boolean add(Timer timer) {
        if (registered.add(timer)) {
            queue.add(timer); // an equal stale entry may still be in the heap: whichever comes first stands for it
            return true;
        }
        return false;
    }

    public void remove(Timer timer) {
        if (registered.remove(timer) && queue.size() > 2 * registered.size() + 64) {
            queue.clear();
            queue.addAll(registered);
        }
    }

    /** The earliest timer, or {@code null}. */
    public Timer peek() {
        Timer t;
        while ((t = queue.peek()) != null && !registered.contains(t)) {
            queue.poll(); // removed earlier
        }
        return t;
    }

    /** Removes and returns the earliest timer if its time is at most {@code time}; else {@code null}. */
    public Timer pollDue(long time) {
        Timer t = peek();
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
