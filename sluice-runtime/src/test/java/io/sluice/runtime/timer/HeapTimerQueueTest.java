package io.sluice.runtime.timer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The timer queue (lazy removal) against a sorted set, under seeded random add / remove / poll sequences. */
class HeapTimerQueueTest {

    @Test
    void behavesLikeASortedSetOfDistinctTimers() {
        check(false);
    }

    /** The same timer object removed and added again sits in the heap twice until it fires or the heap is rebuilt. */
    @Test
    void behavesLikeASortedSetWhenTimerObjectsAreAddedAgain() {
        check(true);
    }

    @Test
    void aTimerObjectAddedAgainFiresOnceAfterTheHeapIsRebuilt() {
        for (int removals = 0; removals < 300; removals++) { // one of these ends right after a rebuild
            HeapTimerQueue queue = new HeapTimerQueue();
            TimerQueue.Timer again = new TimerQueue.Timer(5, "k", 0);
            queue.add(again);
            queue.remove(again);
            queue.add(again); // its first heap entry is stale but names the same (registered) object
            for (int i = 0; i < removals; i++) {
                TimerQueue.Timer other = new TimerQueue.Timer(10 + i, "o", i);
                queue.add(other);
                queue.remove(other);
            }
            assertEquals(again, queue.pollDue(100), removals + " removals");
            assertEquals(null, queue.pollDue(100), removals + " removals: fired twice");
            assertEquals(0, queue.size());
        }
    }

    private static void check(boolean reuseInstances) {
        for (long seed = 1; seed <= 30; seed++) {
            Map<TimerQueue.Timer, TimerQueue.Timer> instances = new HashMap<>();
            Random random = new Random(seed);
            TimerQueue queue = new HeapTimerQueue();
            Comparator<TimerQueue.Timer> order = Comparator.comparingLong(TimerQueue.Timer::time)
                    .thenComparing(t -> (String) t.key()).thenComparing(t -> (Integer) t.namespace());
            TreeSet<TimerQueue.Timer> oracle = new TreeSet<>(order);
            long now = 0;
            for (int step = 0; step < 20_000; step++) {
                TimerQueue.Timer t = new TimerQueue.Timer(now + random.nextInt(50), "k" + random.nextInt(5), random.nextInt(3));
                if (reuseInstances) {
                    t = instances.computeIfAbsent(t, x -> x);
                }
                String where = "seed " + seed + " step " + step + (reuseInstances ? " (timer objects reused)" : "");
                switch (random.nextInt(10)) {
                    case 0, 1, 2, 3 -> assertEquals(oracle.add(t), queue.add(t), where + ": add " + t);
                    case 4, 5, 6 -> {
                        queue.remove(t);
                        oracle.remove(t);
                    }
                    default -> {
                        now += random.nextInt(5);
                        TimerQueue.Timer due;
                        while ((due = queue.pollDue(now)) != null) {
                            TimerQueue.Timer expected = oracle.pollFirst();
                            assertEquals(expected.time(), due.time(), where + ": due order");
                            oracle.add(expected);
                            assertEquals(true, oracle.remove(due), where + ": a registered timer fired: " + due);
                        }
                        assertEquals(true, oracle.isEmpty() || oracle.first().time() > now, where + ": all due fired");
                    }
                }
                assertEquals(oracle.size(), queue.size(), where);
                assertEquals(oracle.isEmpty() ? null : oracle.first().time(),
                        queue.peek() == null ? null : queue.peek().time(), where + ": peek");
            }
            assertEquals(new TreeSet<>(oracle), sorted(queue.copy(), order), "seed " + seed);
        }
    }

    private static TreeSet<TimerQueue.Timer> sorted(List<TimerQueue.Timer> timers, Comparator<TimerQueue.Timer> order) {
        TreeSet<TimerQueue.Timer> set = new TreeSet<>(order);
        set.addAll(timers);
        return set;
    }
}
