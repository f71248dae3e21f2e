package io.sluice.runtime.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.state.StateTtlConfig;
import io.sluice.runtime.state.KeyedStateBackendContractTest.Handles;
import io.sluice.runtime.state.KeyedStateBackendContractTest.Model;
import io.sluice.runtime.state.KeyedStateBackendContractTest.Subject;
import io.sluice.runtime.state.KeyedStateBackendContractTest.World;
import io.sluice.runtime.state.snapshot.CanonicalFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A savepoint taken by one set of subtasks, restored by another set at another parallelism, and back: the old
 * subtasks get random state of every kind (plain and windowed value, list, map, reducing and aggregating state with
 * namespace merges, state with time to live, event- and processing-time timers in plain and windowed timer services),
 * are savepointed and closed; the new ones restore all the savepoints and must hold exactly their key groups' state,
 * checked against the oracle ({@link World}); then they are savepointed in turn and restored at the first
 * parallelism. The backends of each side come from the caller, so the same scenario checks one backend
 * ({@link KeyedStateBackendContractTest}) and savepoints moving between two ({@link SavepointPortabilityContract}).
 */
final class RescaledSavepoints {
    /** TTL values fill'ed at {@link #NOW} expire at {@code NOW + 1000}; those fill'ed before expired at the savepoint. */
    static final long NOW = 5_000;
    static final StateTtlConfig TTL = StateTtlConfig.of(Duration.ofMillis(1_000));

    /** One kind of backend: how to open one (closed by the caller's test) and how to savepoint and restore it. */
    interface Side {
        String name();

        KeyedStateBackend open(KeyGroupRange range, int maxParallelism, LongSupplier clock) throws Exception;

        void close(KeyedStateBackend backend);

        KeyedStateSnapshot savepoint(KeyedStateBackend backend) throws Exception;

        void restore(KeyedStateBackend backend, Collection<KeyedStateSnapshot> snapshots) throws Exception;
    }

    private RescaledSavepoints() {}

    /** Runs {@code from} subtasks of {@code a} -> {@code to} subtasks of {@code b} -> {@code from} subtasks of {@code a}. */
    static void run(long seed, int from, int to, Side a, Side b) throws Exception {
        Random r = new Random(seed);
        int maxP = r.nextBoolean() ? 128 : 60; // 60: key groups by division, not by mask
        String where = "seed " + seed + " (" + a.name() + " x" + from + " -> " + b.name() + " x" + to + " -> " + a.name()
                + " x" + from + ", maxParallelism " + maxP + ")";
        AtomicLong clock = new AtomicLong(NOW);
        World w = new World();
        List<Integer> universe = new ArrayList<>();
        List<KeyedStateSnapshot> savepoints = new ArrayList<>();
        for (int i = 0; i < from; i++) {
            KeyGroupRange range = KeyGroupRange.of(i, from, maxP);
            KeyedStateBackend old = a.open(range, maxP, clock::get);
            Subject s = new Subject(old);
            List<Integer> keys = KeyedStateBackendContractTest.ownedKeys(range, maxP, 30);
            universe.addAll(keys);
            for (int step = 0; step < 400; step++) {
                KeyedStateBackendContractTest.randomWorldOperation(r, s, w, keys, where + ", old subtask " + i + " step " + step);
            }
            fillTtlStates(old, w, keys, clock);
            savepoints.add(savepoint(a, old, where + ", old subtask " + i));
            a.close(old);
        }
        List<KeyedStateSnapshot> back = new ArrayList<>();
        for (int j = 0; j < to; j++) {
            KeyGroupRange range = KeyGroupRange.of(j, to, maxP);
            KeyedStateBackend restored = b.open(range, maxP, clock::get);
            b.restore(restored, savepoints);
            String at = where + ", " + b.name() + " subtask " + j + " " + range;
            List<Integer> owned = check(restored, w, universe, range, maxP, at);
            back.add(savepoint(b, restored, at));
            checkExpiry(restored, w, owned, clock, at); // after the savepoint: reading expired values removes them
            b.close(restored);
        }
        for (int i = 0; i < from; i++) {
            KeyGroupRange range = KeyGroupRange.of(i, from, maxP);
            KeyedStateBackend again = a.open(range, maxP, clock::get);
            a.restore(again, back);
            String at = where + ", back in " + a.name() + " subtask " + i + " " + range;
            checkExpiry(again, w, check(again, w, universe, range, maxP, at), clock, at);
            a.close(again);
        }
    }

    /**
     * TTL states: {@code gone-} written long before the savepoint (expired at it, so left out), {@code ttl-} at the
     * savepoint's time (live, expiring 1 s later), both with the plain states' content.
     */
    private static void fillTtlStates(KeyedStateBackend b, World w, List<Integer> keys, AtomicLong clock) {
        Handles gone = new Handles(b, "gone-", null, TTL);
        Handles ttl = new Handles(b, "ttl-", null, TTL);
        clock.set(NOW - 1_500);
        for (Integer key : keys) {
            b.setCurrentKey(key);
            KeyedStateBackendContractTest.fill(gone, w.plain, key);
        }
        clock.set(NOW);
        for (Integer key : keys) {
            b.setCurrentKey(key);
            KeyedStateBackendContractTest.fill(ttl, w.plain, key);
        }
    }

    private static KeyedStateSnapshot savepoint(Side side, KeyedStateBackend b, String where) throws Exception {
        KeyedStateSnapshot s = side.savepoint(b);
        assertNotNull(s.files(), where + ": a savepoint is a file");
        assertEquals(CanonicalFormat.FILE_FORMAT, s.files().format(), where + ": a savepoint is in the canonical format");
        assertTrue(s.keyGroups().isEmpty(), where + ": a savepoint holds no in-memory blocks");
        return s;
    }

    /** Checks that {@code b} holds exactly the state of the keys {@code range} owns; returns those keys. */
    private static List<Integer> check(KeyedStateBackend b, World w, List<Integer> universe, KeyGroupRange range, int maxP,
            String at) {
        Subject s = new Subject(b);
        Handles ttl = new Handles(b, "ttl-", null, TTL);
        Handles gone = new Handles(b, "gone-", null, TTL);
        List<Integer> owned = new ArrayList<>();
        for (Integer key : universe) {
            if (range.contains(KeyGroups.keyGroupOf(key, maxP))) {
                owned.add(key);
                KeyedStateBackendContractTest.checkKey(s, w, key, at);
                KeyedStateBackendContractTest.check(ttl, w.plain, key, VoidNamespace.INSTANCE, at + ", TTL state, key " + key);
                KeyedStateBackendContractTest.check(gone, new Model(), key, VoidNamespace.INSTANCE,
                        at + ", state expired at the savepoint, key " + key);
            } else {
                assertThrows(IllegalStateException.class, () -> b.setCurrentKey(key), at + ": foreign key " + key);
            }
        }
        KeyedStateBackendContractTest.checkTimers(s, w, range, maxP, at);
        return owned;
    }

    /** The restored TTL values of {@code owned} keys expire exactly when they would have without the savepoint. */
    private static void checkExpiry(KeyedStateBackend b, World w, List<Integer> owned, AtomicLong clock, String at) {
        Handles ttl = new Handles(b, "ttl-", null, TTL);
        clock.set(NOW + 999);
        for (Integer key : owned) {
            b.setCurrentKey(key);
            KeyedStateBackendContractTest.check(ttl, w.plain, key, VoidNamespace.INSTANCE, at + ", TTL state 1 ms before it expires");
        }
        clock.set(NOW + 1_000);
        for (Integer key : owned) {
            b.setCurrentKey(key);
            KeyedStateBackendContractTest.check(ttl, new Model(), key, VoidNamespace.INSTANCE, at + ", TTL state once expired");
        }
        clock.set(NOW);
    }
}
