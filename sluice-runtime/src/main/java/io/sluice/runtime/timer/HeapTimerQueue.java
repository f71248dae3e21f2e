package io.sluice.runtime.timer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;

/**
 * {@link TimerQueue} on the heap: a priority queue plus the set of registered timers. Task thread only.
 *
 * <p>Removal is lazy, so every operation is O(log n) (windows delete a timer on most records: session merges): a removed
 * timer only leaves the registered set, and its entry in the heap is skipped when it reaches the head. The heap is
 * rebuilt from the registered set when stale entries outnumber live ones.
 */
public final class HeapTimerQueue implements TimerQueue {

    private final PriorityQueue<Timer> queue = new PriorityQueue<>((a, b) -> Long.compare(a.time(), b.time()));
    private final HashSet<Timer> registered = new HashSet<>();

    @Override
    public boolean add(Timer timer) {
        if (registered.add(timer)) {
            queue.add(timer); // an equal stale entry may still be in the heap: whichever comes first stands for it
            return true;
        }
        return false;
    }

    @Override
    public void remove(Timer timer) {
        if (registered.remove(timer) && queue.size() > 2 * registered.size() + 64) {
            queue.clear();
            queue.addAll(registered);
        }
    }

    @Override
    public Timer peek() {
        Timer t;
        while ((t = queue.peek()) != null && !registered.contains(t)) {
            queue.poll(); // removed earlier
        }
        return t;
    }

    @Override
    public Timer pollDue(long time) {
        Timer t = peek();
        if (t == null || t.time() > time) {
            return null;
        }
        queue.poll();
        registered.remove(t);
        return t;
    }

    @Override
    public int size() {
        return registered.size();
    }

    @Override
    public List<Timer> copy() {
        return new ArrayList<>(registered);
    }
}
