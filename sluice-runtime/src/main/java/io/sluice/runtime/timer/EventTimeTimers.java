package io.sluice.runtime.timer;

import java.util.HashSet;
import java.util.PriorityQueue;

/**
 * Event-time timers of one keyed operator in one subtask: at most one timer per key and time, fired in time order
 * when the watermark passes them. Task thread only.
 */
public final class EventTimeTimers {

    /** A timer: a key and a time. */
    public record Timer(long time, Object key) {}

    /** Called for each due timer, in time order. */
    @FunctionalInterface
    public interface Firing {
        void onTimer(Timer timer) throws Exception;
    }

    private final PriorityQueue<Timer> queue = new PriorityQueue<>((a, b) -> Long.compare(a.time, b.time));
    private final HashSet<Timer> registered = new HashSet<>();

    public void register(Object key, long time) {
        Timer t = new Timer(time, key);
        if (registered.add(t)) {
            queue.add(t);
        }
    }

    public void delete(Object key, long time) {
        Timer t = new Timer(time, key);
        if (registered.remove(t)) {
            queue.remove(t);
        }
    }

    /** Fires every timer with time ≤ {@code watermark}; timers registered while firing fire too if due. */
    public void advanceTo(long watermark, Firing firing) throws Exception {
        Timer t;
        while ((t = queue.peek()) != null && t.time <= watermark) {
            queue.poll();
            registered.remove(t);
            firing.onTimer(t);
        }
    }

    public int size() {
        return registered.size();
    }
}
