package io.sluice.runtime.timer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.types.TypeSerializer;
import io.sluice.api.types.Types;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyGroups;
import io.sluice.runtime.state.KeyedStateBackend;
import io.sluice.runtime.state.KeyedStateSnapshot;
import io.sluice.runtime.state.VoidNamespace;
import io.sluice.runtime.timer.TimerQueue.Timer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link TimerQueue}, for every implementation: timers come out in time order; one timer per key,
 * namespace and time; removal; {@link TimerQueue#pollDue} takes exactly the timers at or before the given time;
 * {@link TimerQueue#peek} takes nothing; snapshot and restore keep every timer, also at another key-group range; and
 * long random sequences of all of these agree with a brute-force model (a list scanned at every step).
 *
 * <p>A queue cannot be snapshotted alone: each belongs to a keyed state backend ({@link KeyedStateBackend#timerQueues}),
 * which snapshots it with the state. An implementation's test extends this class with {@link #createBackend} for the
 * backend whose queues it is; every snapshot goes through {@link #snapshot} and every restore through {@link #restore}.
 * Randomized tests use fixed seeds, named in every failure message.
 */
public abstract class TimerQueueContractTest {
    protected static final int MAX_PARALLELISM = 32;
    private static final String SERVICE = "timers";

    private final List<KeyedStateBackend> backends = new ArrayList<>();

    /** A new, empty backend over {@code range}, with string keys; closed by the test. */
    protected abstract KeyedStateBackend createBackend(KeyGroupRange range, int maxParallelism,
            TypeSerializer<?> keySerializer) throws Exception;

    /** The implementation under test: the class of the backend's queues. */
    protected abstract Class<? extends TimerQueue> queueClass();

    /** A complete snapshot of {@code backend} (both parts). */
    protected KeyedStateSnapshot snapshot(KeyedStateBackend backend) throws Exception {
        return backend.snapshot().write();
    }

    /** Restores a fresh {@code backend} from {@code snapshots}. */
    protected void restore(KeyedStateBackend backend, List<KeyedStateSnapshot> snapshots) throws Exception {
        backend.restore(snapshots);
    }

    @AfterEach
    void closeBackends() {
        backends.forEach(KeyedStateBackend::close);
        backends.clear();
    }

    private KeyedStateBackend open(KeyGroupRange range) throws Exception {
        KeyedStateBackend backend = createBackend(range, MAX_PARALLELISM, Types.STRING);
        backends.add(backend);
        return backend;
    }

    private KeyedStateBackend open() throws Exception {
        return open(new KeyGroupRange(0, MAX_PARALLELISM));
    }

    /** The event-time queue of the namespaced (integer namespaces) service {@value #SERVICE}. */
    private static TimerQueue queue(KeyedStateBackend backend) {
        return backend.timerQueues(SERVICE, Types.INT).eventTime();
    }

    private static Timer timer(long time, String key, int namespace) {
        return new Timer(time, key, namespace);
    }

    @Test
    public void theBackendsQueuesAreTheImplementationUnderTest() throws Exception {
        TimerQueues queues = open().timerQueues(SERVICE, Types.INT);
        assertInstanceOf(queueClass(), queues.eventTime());
        assertInstanceOf(queueClass(), queues.processingTime());
    }

    @Test
    public void timersComeOutInTimeOrder() throws Exception {
        TimerQueue queue = queue(open());
        Random random = new Random(7);
        Set<Timer> added = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            Timer t = timer(random.nextInt(2_000) - 1_000, "k" + random.nextInt(40), random.nextInt(3));
            assertEquals(added.add(t), queue.add(t), "seed 7: add " + t);
        }
        assertEquals(added.size(), queue.size());
        List<Timer> fired = drain(queue, Long.MAX_VALUE);
        for (int i = 1; i < fired.size(); i++) {
            assertTrue(fired.get(i - 1).time() <= fired.get(i).time(), "seed 7: out of order at " + i + ": " + fired);
        }
        assertEquals(added, new HashSet<>(fired), "seed 7: every timer fired once");
        assertEquals(fired.size(), new HashSet<>(fired).size(), "seed 7: no timer fired twice");
        assertEquals(0, queue.size());
        assertNull(queue.peek());
    }

    @Test
    public void oneTimerPerKeyNamespaceAndTime() throws Exception {
        TimerQueue queue = queue(open());
        assertTrue(queue.add(timer(10, "a", 1)));
        assertFalse(queue.add(timer(10, "a", 1)), "the same timer again");
        queue.put(timer(10, "a", 1));
        assertEquals(1, queue.size(), "put of a timer that is there adds nothing");
        assertTrue(queue.add(timer(10, "b", 1)), "another key");
        assertTrue(queue.add(timer(10, "a", 2)), "another namespace");
        assertTrue(queue.add(timer(11, "a", 1)), "another time");
        queue.put(timer(12, "a", 1));
        assertEquals(5, queue.size());
        assertEquals(Set.of(timer(10, "a", 1), timer(10, "b", 1), timer(10, "a", 2), timer(11, "a", 1), timer(12, "a", 1)),
                new HashSet<>(drain(queue, Long.MAX_VALUE)));
    }

    @Test
    public void aRemovedTimerNeverFires() throws Exception {
        TimerQueue queue = queue(open());
        queue.add(timer(5, "a", 0));
        queue.add(timer(5, "b", 0));
        queue.add(timer(9, "a", 0));
        queue.remove(timer(5, "a", 0));
        queue.remove(timer(7, "a", 0)); // not there: nothing happens
        queue.remove(timer(9, "a", 1)); // another namespace: nothing happens
        assertEquals(2, queue.size());
        assertEquals(timer(5, "b", 0), queue.peek());
        queue.remove(timer(5, "b", 0));
        assertEquals(timer(9, "a", 0), queue.peek(), "the head removed: the next one is the head");
        assertTrue(queue.add(timer(5, "a", 0)), "removed, then added again");
        assertEquals(List.of(timer(5, "a", 0), timer(9, "a", 0)), drain(queue, Long.MAX_VALUE));
    }

    @Test
    public void pollDueTakesExactlyTheTimersAtOrBeforeTheTime() throws Exception {
        TimerQueue queue = queue(open());
        for (Timer t : List.of(timer(15, "c", 0), timer(10, "a", 0), timer(5, "a", 0), timer(10, "b", 0),
                timer(Long.MAX_VALUE, "z", 0), timer(Long.MIN_VALUE, "y", 0))) {
            queue.add(t);
        }
        assertEquals(List.of(timer(Long.MIN_VALUE, "y", 0), timer(5, "a", 0)), drain(queue, 9));
        assertEquals(timer(10, "a", 0).time(), queue.peek().time(), "peek takes nothing");
        assertEquals(4, queue.size(), "peek takes nothing");
        assertEquals(Set.of(timer(10, "a", 0), timer(10, "b", 0)), new HashSet<>(drain(queue, 10)));
        assertNull(queue.pollDue(14));
        assertEquals(List.of(timer(15, "c", 0)), drain(queue, Long.MAX_VALUE - 1));
        assertEquals(List.of(timer(Long.MAX_VALUE, "z", 0)), drain(queue, Long.MAX_VALUE));
        assertNull(queue.peek());
    }

    @Test
    public void timersAddedWhileFiringAtTheFiringTimeFireInTheSamePass() throws Exception {
        TimerQueue queue = queue(open());
        queue.add(timer(10, "a", 0));
        Timer first = queue.pollDue(10);
        assertEquals(timer(10, "a", 0), first);
        queue.add(timer(10, "b", 0)); // an onTimer registering at the current time
        queue.add(timer(9, "c", 0)); // or before it (late)
        assertEquals(Set.of(timer(10, "b", 0), timer(9, "c", 0)), new HashSet<>(drain(queue, 10)));
    }

    /** Both services and both domains of a backend are separate, and all survive a restore, whole or split in two. */
    @Test
    public void snapshotAndRestoreKeepEveryTimerAlsoAtAnotherKeyGroupRange() throws Exception {
        KeyedStateBackend backend = open();
        Random random = new Random(11);
        Set<Timer> eventTime = new HashSet<>();
        Set<Timer> processingTime = new HashSet<>();
        Set<Timer> plain = new HashSet<>();
        TimerQueues namespaced = backend.timerQueues(SERVICE, Types.INT);
        TimerQueues voidNamespace = backend.timerQueues("plain", null);
        for (int i = 0; i < 400; i++) {
            String key = "k" + random.nextInt(100);
            Timer t = timer(random.nextInt(1_000), key, random.nextInt(4));
            switch (random.nextInt(3)) {
                case 0 -> assertEquals(eventTime.add(t), namespaced.eventTime().add(t));
                case 1 -> assertEquals(processingTime.add(t), namespaced.processingTime().add(t));
                default -> {
                    Timer v = new Timer(t.time(), key, VoidNamespace.INSTANCE);
                    assertEquals(plain.add(v), voidNamespace.eventTime().add(v));
                }
            }
        }
        KeyedStateSnapshot snapshot = snapshot(backend);

        KeyedStateBackend whole = open();
        restore(whole, List.of(snapshot));
        assertTimers(eventTime, whole.timerQueues(SERVICE, Types.INT).eventTime(), "seed 11, restored whole, event time");
        assertTimers(processingTime, whole.timerQueues(SERVICE, Types.INT).processingTime(),
                "seed 11, restored whole, processing time");
        assertTimers(plain, whole.timerQueues("plain", null).eventTime(), "seed 11, restored whole, void namespace");

        for (KeyGroupRange half : List.of(new KeyGroupRange(0, MAX_PARALLELISM / 2),
                new KeyGroupRange(MAX_PARALLELISM / 2, MAX_PARALLELISM))) {
            KeyedStateBackend part = open(half);
            restore(part, List.of(snapshot));
            assertTimers(owned(eventTime, half), part.timerQueues(SERVICE, Types.INT).eventTime(),
                    "seed 11, restored into " + half + ", event time");
            assertTimers(owned(plain, half), part.timerQueues("plain", null).eventTime(),
                    "seed 11, restored into " + half + ", void namespace");
        }
    }

    /** The synchronous part of a snapshot captures the timers; what happens before its write does not change it. */
    @Test
    public void aSnapshotHoldsTheTimersOfItsSynchronousPart() throws Exception {
        KeyedStateBackend backend = open();
        TimerQueue queue = queue(backend);
        Set<Timer> atSnapshot = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            Timer t = timer(i * 3, "k" + i % 7, i % 2);
            queue.add(t);
            atSnapshot.add(t);
        }
        KeyedStateBackend.PendingSnapshot pending = backend.snapshot();
        drain(queue, 60);
        queue.remove(timer(147, "k0", 1));
        queue.add(timer(500, "new", 0));
        KeyedStateSnapshot snapshot = pending.write();
        assertEquals(29, queue.size(), "the live queue moved on");

        KeyedStateBackend restored = open();
        restore(restored, List.of(snapshot));
        assertTimers(atSnapshot, queue(restored), "restored from a snapshot begun before the changes");
    }

    @Test
    public void randomOperationsAgreeWithABruteForceModel() throws Exception {
        for (long seed = 1; seed <= 6; seed++) {
            randomOperations(seed, 1 + (int) seed * 5, 3_000);
        }
    }

    /** Many timers per key and few keys: equal times pile up, long runs fire at once. */
    @Test
    public void randomOperationsOnFewKeysAgreeWithABruteForceModel() throws Exception {
        randomOperations(101, 2, 4_000);
    }

    private void randomOperations(long seed, int keys, int steps) throws Exception {
        Random random = new Random(seed);
        List<Timer> model = new ArrayList<>(); // brute force: scanned whole at every step
        KeyedStateBackend backend = open();
        TimerQueue queue = queue(backend);
        long now = 0;
        for (int step = 0; step < steps; step++) {
            String where = "seed " + seed + " step " + step;
            Timer t = timer(now + random.nextInt(60) - 10, "k" + random.nextInt(keys), random.nextInt(3));
            int op = random.nextInt(100);
            if (op < 35) {
                boolean isNew = !model.contains(t);
                assertEquals(isNew, queue.add(t), where + ": add " + t);
                if (isNew) {
                    model.add(t);
                }
            } else if (op < 50) {
                queue.put(t);
                if (!model.contains(t)) {
                    model.add(t);
                }
            } else if (op < 70) {
                if (op < 62 && !model.isEmpty()) {
                    t = model.get(random.nextInt(model.size())); // one that is there
                }
                queue.remove(t);
                model.remove(t);
            } else if (op < 97) {
                now += random.nextInt(25);
                Timer due;
                while ((due = queue.pollDue(now)) != null) {
                    assertEquals(earliest(model), due.time(), where + ": fired " + due + " before an earlier timer");
                    assertTrue(due.time() <= now, where + ": fired " + due + " after " + now);
                    assertTrue(model.remove(due), where + ": fired " + due + ", which is not registered");
                }
                for (Timer left : model) {
                    assertTrue(left.time() > now, where + ": " + left + " is due at " + now + " but did not fire");
                }
            } else {
                KeyedStateSnapshot snapshot = snapshot(backend);
                backend = open();
                restore(backend, List.of(snapshot));
                queue = queue(backend);
            }
            assertEquals(model.size(), queue.size(), where + ": size");
            Timer head = queue.peek();
            if (model.isEmpty()) {
                assertNull(head, where + ": peek of an empty queue");
            } else {
                assertTrue(head != null && head.time() == earliest(model) && model.contains(head),
                        where + ": peek " + head + ", the earliest time is " + earliest(model));
            }
        }
        assertEquals(new HashSet<>(model), new HashSet<>(queue.copy()), "seed " + seed + ": copy");
    }

    private static long earliest(List<Timer> model) {
        long min = Long.MAX_VALUE;
        for (Timer t : model) {
            min = Math.min(min, t.time());
        }
        return min;
    }

    private static Set<Timer> owned(Set<Timer> timers, KeyGroupRange range) {
        Set<Timer> owned = new HashSet<>();
        for (Timer t : timers) {
            if (range.contains(KeyGroups.keyGroupOf(t.key(), MAX_PARALLELISM))) {
                owned.add(t);
            }
        }
        return owned;
    }

    /** The queue holds exactly {@code expected} (size, copy) and gives them up in time order. */
    private static void assertTimers(Set<Timer> expected, TimerQueue queue, String where) {
        assertEquals(expected.size(), queue.size(), where + ": size");
        assertEquals(expected, new HashSet<>(queue.copy()), where + ": copy");
        List<Timer> fired = drain(queue, Long.MAX_VALUE);
        assertEquals(expected, new HashSet<>(fired), where + ": fired");
        for (int i = 1; i < fired.size(); i++) {
            assertTrue(fired.get(i - 1).time() <= fired.get(i).time(), where + ": out of order at " + i);
        }
    }

    private static List<Timer> drain(TimerQueue queue, long time) {
        List<Timer> fired = new ArrayList<>();
        Timer t;
        while ((t = queue.pollDue(time)) != null) {
            fired.add(t);
        }
        return fired;
    }
}
