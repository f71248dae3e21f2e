package io.sluice.runtime.timer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.TreeMap;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The heap timer queue (timers grouped by time) against a sorted set and a model, under seeded random sequences; and
 * directed cases for its stale heap times, cached entries and bucket compaction.
 */
class BucketedTimerQueueTest {

    @Test
    void behavesLikeASortedSetOfDistinctTimers() {
        check(false, 5, 50);
    }

    /** The same timer object removed and added again (a stale heap time, or a hole in a bucket, and a new copy). */
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
        List<TimerQueue.Timer> taken = drainDue(queue, 3);
        List<TimerQueue.Timer> expected = new ArrayList<>();
        for (int i = 0; i < added.size(); i++) {
            if (i % 3 != 0) {
                expected.add(added.get(i));
            }
        }
        assertEquals(expected, taken);
        assertEquals(100, queue.size());
    }

    /** Times whose timers were removed before they were reached leave the heap in rebuilds: it stays bounded. */
    @Test
    void removedFutureTimersDoNotAccumulate() {
        BucketedTimerQueue queue = new BucketedTimerQueue();
        queue.add(new TimerQueue.Timer(1, "k", 0));
        addAndRemoveAtDistinctTimes(queue, 1_000, 1_000_000, "k");
        assertEquals(1, queue.size());
        assertEquals(1, queue.copy().size());
        assertEquals(true, queue.heapLength() <= 256, "heap length " + queue.heapLength());
        assertEquals(new TimerQueue.Timer(1, "k", 0), queue.pollDue(Long.MAX_VALUE));
        assertEquals(null, queue.pollDue(Long.MAX_VALUE));
    }

    @Test
    void aTimerObjectRemovedAndAddedAgainFiresOnce() {
        for (int removals = 0; removals < 300; removals++) { // one of these ends right after the heap is rebuilt
            BucketedTimerQueue queue = new BucketedTimerQueue();
            TimerQueue.Timer again = new TimerQueue.Timer(5, "k", 0);
            queue.add(again);
            queue.remove(again);
            queue.add(again);
            addAndRemoveAtDistinctTimes(queue, 10, removals, "o");
            assertEquals(again, queue.pollDue(100), removals + " removals");
            assertEquals(null, queue.pollDue(100), removals + " removals: fired twice");
            assertEquals(0, queue.size());
        }
    }

    /** A time dropped and used again sits in the heap twice; a lone timer becomes a bucket while it is the head. */
    @Test
    void aStaleHeapCopyAndAPromotionAtTheHeadKeepOrderAndCounts() {
        TimerQueue.Timer a = new TimerQueue.Timer(5, "a", 0);
        TimerQueue.Timer b = new TimerQueue.Timer(5, "b", 0);
        TimerQueue.Timer c = new TimerQueue.Timer(5, "c", 0);
        TimerQueue.Timer z = new TimerQueue.Timer(9, "z", 0);
        BucketedTimerQueue queue = new BucketedTimerQueue();
        queue.add(z);
        queue.add(a);
        assertEquals(a, queue.peek());
        queue.remove(a);
        assertEquals(z, queue.peek());
        assertEquals(1, queue.heapLength());
        queue.add(a);
        queue.remove(a);
        queue.add(b);
        assertEquals(3, queue.heapLength()); // 5 (stale), 5, 9
        assertEquals(b, queue.peek());
        queue.add(c); // b becomes a bucket while it is the cached head
        assertEquals(b, queue.pollDue(5));
        assertEquals(c, queue.pollDue(5));
        assertEquals(true, queue.add(a)); // into the emptied head bucket
        assertEquals(a, queue.pollDue(5));
        assertEquals(null, queue.pollDue(5));
        assertEquals(1, queue.heapLength());
        assertEquals(1, queue.size());
        assertEquals(List.of(z), queue.copy());
        assertEquals(z, queue.pollDue(9));
        assertEquals(null, queue.peek());
        assertEquals(0, queue.heapLength());
    }

    /** A rebuild of the heap while a bucket is half fired; a fired timer removed (nothing) and added again (last). */
    @Test
    void aRebuildWhileABucketIsHalfFiredKeepsItsPlace() {
        BucketedTimerQueue queue = new BucketedTimerQueue();
        for (int i = 0; i < 4; i++) {
            queue.add(new TimerQueue.Timer(5, "h", i));
        }
        queue.add(new TimerQueue.Timer(7, "x", 0));
        assertEquals(new TimerQueue.Timer(5, "h", 0), queue.pollDue(5));
        addAndRemoveAtDistinctTimes(queue, 10_000, 131, "far"); // 131 stale times pass heapSize / 2 + 64: a rebuild
        assertEquals(2, queue.heapLength()); // rebuilt from the map: 5 and 7
        queue.remove(new TimerQueue.Timer(5, "h", 0)); // fired already: nothing to remove
        assertEquals(true, queue.add(new TimerQueue.Timer(5, "h", 0)));
        List<TimerQueue.Timer> fired = drainDue(queue, 5);
        assertEquals(List.of(new TimerQueue.Timer(5, "h", 1), new TimerQueue.Timer(5, "h", 2),
                new TimerQueue.Timer(5, "h", 3), new TimerQueue.Timer(5, "h", 0)), fired);
        assertEquals(1, queue.size());
        assertEquals(new TimerQueue.Timer(7, "x", 0), queue.pollDue(7));
        assertEquals(0, queue.heapLength());
    }

    /** A timeout that is deleted and registered again at one time, over and over, holds O(1) positions. */
    @Test
    void deletingAndRegisteringAgainAtOneTimeKeepsTheBucketSmall() {
        BucketedTimerQueue queue = new BucketedTimerQueue();
        queue.add(new TimerQueue.Timer(100, "a", 0));
        for (int i = 0; i < 100_000; i++) {
            queue.remove(new TimerQueue.Timer(100, "b", 0));
            queue.add(new TimerQueue.Timer(100, "b", 0));
        }
        assertEquals(2, queue.size());
        assertEquals(true, queue.positions() <= 2 * 2 + TimerBucket.LINEAR + 1, "positions " + queue.positions());
        assertEquals(new TimerQueue.Timer(100, "a", 0), queue.pollDue(100));
        assertEquals(new TimerQueue.Timer(100, "b", 0), queue.pollDue(100));
        assertEquals(null, queue.pollDue(100));
    }

    /**
     * Against a model that keeps each time's timers in registration order, with what jobs do while timers fire:
     * timers added and removed from inside the firing loop at the firing time, before it (late) and far after it,
     * the fired timer registered again, keys with equal hash codes, times at the end of the range; and every 1,000
     * steps the queue rebuilt from its copy (a restore). Bounds: the heap and the bucket positions stay O(live).
     */
    @Test
    void matchesAModelWhileTimersAreAddedAndRemovedDuringFiring() {
        String[] keys = new String[40];
        keys[0] = "Aa";
        keys[1] = "BB"; // same hashCode as "Aa"
        for (int k = 2; k < keys.length; k++) {
            keys[k] = "k" + k;
        }
        for (long seed = 1; seed <= 20; seed++) {
            Random random = new Random(seed);
            Model model = new Model();
            BucketedTimerQueue[] queue = {new BucketedTimerQueue()};
            long[] now = {0};
            for (int step = 0; step < 20_000; step++) {
                String where = "seed " + seed + " step " + step;
                int op = random.nextInt(100);
                if (op < 40) {
                    TimerQueue.Timer t = randomTimer(random, keys, now[0], model);
                    assertEquals(model.add(t), queue[0].add(t), where + ": add " + t);
                } else if (op < 75) {
                    TimerQueue.Timer t = randomTimer(random, keys, now[0], model);
                    queue[0].remove(t);
                    model.remove(t);
                } else {
                    now[0] += random.nextInt(10);
                    int againLeft = 3;
                    TimerQueue.Timer due;
                    while ((due = queue[0].pollDue(now[0])) != null) {
                        assertEquals(model.pollFirst(), due, where + ": fired in time and registration order");
                        if (random.nextBoolean()) {
                            againLeft = reenter(random, keys, queue[0], model, due, againLeft, where);
                        }
                    }
                    assertEquals(true, model.firstTime() == null || model.firstTime() > now[0], where + ": all due fired");
                }
                assertEquals(model.size(), queue[0].size(), where + ": size");
                assertEquals(model.first(), queue[0].peek(), where + ": peek");
                if (step % 1_000 == 999) {
                    List<TimerQueue.Timer> copy = queue[0].copy();
                    assertEquals(model.all(), new LinkedHashSet<>(copy), where + ": copy");
                    int distinctTimes = model.distinctTimes();
                    assertEquals(true, queue[0].heapLength() <= 2 * distinctTimes + 130,
                            where + ": heap " + queue[0].heapLength() + " for " + distinctTimes + " times");
                    assertEquals(true, queue[0].positions() <= 3 * model.size() + 9 * queue[0].heapLength(),
                            where + ": positions " + queue[0].positions() + " for " + model.size() + " timers");
                    queue[0] = new BucketedTimerQueue();
                    for (TimerQueue.Timer t : copy) { // copy keeps each time's order: the model still applies
                        queue[0].add(t);
                    }
                }
            }
        }
    }

    /** Does 1-3 of the things an {@code onTimer} may do; returns how many more re-registrations of fired timers may come. */
    private static int reenter(Random random, String[] keys, TimerQueue queue, Model model, TimerQueue.Timer fired,
            int againLeft, String where) {
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            switch (random.nextInt(6)) {
                case 0 -> {
                    TimerQueue.Timer t = new TimerQueue.Timer(fired.time(), keys[random.nextInt(keys.length)],
                            random.nextInt(3));
                    assertEquals(model.add(t), queue.add(t), where + ": add at the firing time " + t);
                }
                case 1 -> {
                    TimerQueue.Timer t = new TimerQueue.Timer(fired.time(), keys[random.nextInt(keys.length)],
                            random.nextInt(3));
                    queue.remove(t);
                    model.remove(t);
                }
                case 2 -> {
                    if (againLeft > 0) {
                        againLeft--;
                        assertEquals(model.add(fired), queue.add(fired), where + ": the fired timer again");
                    }
                }
                case 3 -> { // already fired: nothing happens, unless it was registered again just now
                    queue.remove(fired);
                    model.remove(fired);
                }
                case 4 -> {
                    TimerQueue.Timer t = new TimerQueue.Timer(fired.time() - 1, keys[random.nextInt(keys.length)], 0);
                    assertEquals(model.add(t), queue.add(t), where + ": add before the firing time " + t);
                }
                default -> addAndRemoveAtDistinctTimes(queue, fired.time() + 10_000, 70, "far"); // stale heap times
            }
        }
        return againLeft;
    }

    private static TimerQueue.Timer randomTimer(Random random, String[] keys, long now, Model model) {
        int kind = random.nextInt(10);
        long time;
        if (kind < 5) {
            time = now + random.nextInt(8);
        } else if (kind < 7) {
            time = now + random.nextInt(5_000);
        } else if (kind < 8) {
            time = now - random.nextInt(4);
        } else if (kind < 9) {
            time = Long.MAX_VALUE - random.nextInt(2);
        } else {
            time = model.size() == 0 ? now : model.timeAtOrAfter(now + random.nextInt(5_000));
        }
        return new TimerQueue.Timer(time, keys[random.nextInt(keys.length)], random.nextInt(3));
    }

    /** The queue's contract with registration order within a time: a timer removed and added again goes last. */
    private static final class Model {
        private final TreeMap<Long, LinkedHashSet<TimerQueue.Timer>> byTime = new TreeMap<>();
        private int size;

        boolean add(TimerQueue.Timer t) {
            boolean added = byTime.computeIfAbsent(t.time(), x -> new LinkedHashSet<>()).add(t);
            size += added ? 1 : 0;
            return added;
        }

        void remove(TimerQueue.Timer t) {
            LinkedHashSet<TimerQueue.Timer> timers = byTime.get(t.time());
            if (timers != null && timers.remove(t)) {
                size--;
                if (timers.isEmpty()) {
                    byTime.remove(t.time());
                }
            }
        }

        TimerQueue.Timer first() {
            return byTime.isEmpty() ? null : byTime.firstEntry().getValue().iterator().next();
        }

        Long firstTime() {
            return byTime.isEmpty() ? null : byTime.firstKey();
        }

        TimerQueue.Timer pollFirst() {
            TimerQueue.Timer t = first();
            if (t != null) {
                remove(t);
            }
            return t;
        }

        int size() {
            return size;
        }

        int distinctTimes() {
            return byTime.size();
        }

        /** A time that has timers: the first at or after {@code time}, else the first. */
        long timeAtOrAfter(long time) {
            Long at = byTime.ceilingKey(time);
            return at != null ? at : byTime.firstKey();
        }

        LinkedHashSet<TimerQueue.Timer> all() {
            LinkedHashSet<TimerQueue.Timer> all = new LinkedHashSet<>();
            byTime.values().forEach(all::addAll);
            return all;
        }
    }

    /** Takes every timer due at {@code time}, in order. */
    private static List<TimerQueue.Timer> drainDue(TimerQueue queue, long time) {
        List<TimerQueue.Timer> due = new ArrayList<>();
        TimerQueue.Timer t;
        while ((t = queue.pollDue(time)) != null) {
            due.add(t);
        }
        return due;
    }

    /** Registers and at once deletes {@code count} timers of {@code key} at {@code from}, {@code from + 1}, ... */
    private static void addAndRemoveAtDistinctTimes(TimerQueue queue, long from, int count, String key) {
        for (int i = 0; i < count; i++) {
            TimerQueue.Timer t = new TimerQueue.Timer(from + i, key, i);
            queue.add(t);
            queue.remove(t);
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
