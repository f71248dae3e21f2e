package io.sluice.runtime.timer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The heap timer queue against a sorted set, under seeded random add / remove / poll sequences; buckets per time. */
class BucketedTimerQueueTest {

    @Test
    void behavesLikeASortedSetOfDistinctTimers() {
        check(false, 5, 50);
    }

    /** The same timer object removed and added again: one bucket holds it twice, once as a hole. */
    @Test
    void behavesLikeASortedSetWhenTimerObjectsAreAddedAgain() {
        check(true, 5, 50);
    }

    /** Many keys per time: buckets search through their index, and grow it while timers are taken and removed. */
    @Test
    void behavesLikeASortedSetWithManyTimersPerTime() {
        check(false, 400, 4);
    }

    @Test
    void timersOfOneTimeAreTakenInTheOrderTheyWereAdded() {
        Random random = new Random(7);
        BucketedTimerQueue queue = new BucketedTimerQueue();
        List<TimerQueue.Timer> added = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            TimerQueue.Timer t = new TimerQueue.Timer(3, "k" + random.nextInt(1_000_000), i);
            queue.add(new TimerQueue.Timer(9, "later", i));
            queue.add(t);
            added.add(t);
        }
        for (int i = 0; i < added.size(); i += 3) {
            queue.remove(new TimerQueue.Timer(3, added.get(i).key(), added.get(i).namespace())); // an equal one
        }
        List<TimerQueue.Timer> taken = new ArrayList<>();
        TimerQueue.Timer t;
        while ((t = queue.pollDue(3)) != null) {
            taken.add(t);
        }
        List<TimerQueue.Timer> expected = new ArrayList<>();
        for (int i = 0; i < added.size(); i++) {
            if (i % 3 != 0) {
                expected.add(added.get(i));
            }
        }
        assertEquals(expected, taken);
        assertEquals(100, queue.size());
    }

    /** Buckets emptied by removal at times never reached are dropped from the heap: it stays bounded. */
    @Test
    void removedFutureTimersDoNotAccumulate() {
        BucketedTimerQueue queue = new BucketedTimerQueue();
        queue.add(new TimerQueue.Timer(1, "k", 0));
        for (int i = 0; i < 1_000_000; i++) {
            TimerQueue.Timer t = new TimerQueue.Timer(1_000 + i, "k", 0);
            queue.add(t);
            queue.remove(t);
        }
        assertEquals(1, queue.size());
        assertEquals(1, queue.copy().size());
        assertEquals(true, queue.heapLength() <= 256, "heap length " + queue.heapLength());
        assertEquals(new TimerQueue.Timer(1, "k", 0), queue.pollDue(Long.MAX_VALUE));
        assertEquals(null, queue.pollDue(Long.MAX_VALUE));
    }

    @Test
    void aTimerObjectRemovedAndAddedAgainFiresOnce() {
        for (int removals = 0; removals < 300; removals++) { // one of these ends right after empty buckets are dropped
            BucketedTimerQueue queue = new BucketedTimerQueue();
            TimerQueue.Timer again = new TimerQueue.Timer(5, "k", 0);
            queue.add(again);
            queue.remove(again);
            queue.add(again);
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

    private static void check(boolean reuseInstances, int keys, int spread) {
        for (long seed = 1; seed <= 30; seed++) {
            Map<TimerQueue.Timer, TimerQueue.Timer> instances = new HashMap<>();
            Random random = new Random(seed);
            TimerQueue queue = new BucketedTimerQueue();
            Comparator<TimerQueue.Timer> order = Comparator.comparingLong(TimerQueue.Timer::time)
                    .thenComparing(t -> (String) t.key()).thenComparing(t -> (Integer) t.namespace());
            TreeSet<TimerQueue.Timer> oracle = new TreeSet<>(order);
            long now = 0;
            for (int step = 0; step < 20_000; step++) {
                TimerQueue.Timer t = new TimerQueue.Timer(now + random.nextInt(spread), "k" + random.nextInt(keys),
                        random.nextInt(3));
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
