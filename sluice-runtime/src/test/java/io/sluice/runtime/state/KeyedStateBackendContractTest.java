package io.sluice.runtime.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.functions.AggregateFunction;
import io.sluice.api.state.AggregatingState;
import io.sluice.api.state.AggregatingStateDescriptor;
import io.sluice.api.state.ListState;
import io.sluice.api.state.ListStateDescriptor;
import io.sluice.api.state.MapState;
import io.sluice.api.state.MapStateDescriptor;
import io.sluice.api.state.ReducingState;
import io.sluice.api.state.ReducingStateDescriptor;
import io.sluice.api.state.State;
import io.sluice.api.state.StateDescriptor;
import io.sluice.api.state.StateTtlConfig;
import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.TypeSerializer;
import io.sluice.api.types.Types;
import io.sluice.runtime.checkpoint.storage.StateFileHandle;
import io.sluice.runtime.timer.TimerQueue;
import io.sluice.runtime.timer.TimerQueue.Timer;
import io.sluice.runtime.timer.TimerQueues;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link KeyedStateBackend} keeps, checked against plain-Java oracles (hash maps, lists, sets):
 * each state kind under many keys, namespaces and merges, time-to-live, timers, copy-on-write snapshots, snapshot and
 * restore round trips, rescaling, and the errors. A backend's test extends this class and implements
 * {@link #createBackend}; every snapshot and restore goes through {@link #snapshot}, {@link #restore} (and, for the
 * tests that change state between the two parts of a snapshot, {@link #beginSnapshot} and {@link #writeSnapshot}),
 * so a change of the snapshot API is adapted here in one place. Snapshots that consist of files (incremental RocksDB
 * snapshots) write them to an in-memory checkpoint storage ({@link CheckpointFiles}).
 *
 * <p>Randomized tests use fixed seeds; every assertion message names the seed and the step.
 */
public abstract class KeyedStateBackendContractTest {

    /**
     * A new, empty backend over {@code range} of {@code maxParallelism} key groups, holding {@code owner}'s state (named
     * in its errors); closed by the test.
     */
    protected abstract KeyedStateBackend createBackend(StateOwner owner, KeyGroupRange range, int maxParallelism,
            TypeSerializer<?> keySerializer, LongSupplier clock) throws Exception;

    /**
     * A complete snapshot of {@code backend} (both parts), as a checkpoint takes it; the checkpoint then completes, so a
     * backend may build its next snapshots on this one (incremental snapshots).
     */
    protected KeyedStateSnapshot snapshot(KeyedStateBackend backend) throws Exception {
        SnapshotFileWriter files = checkpointFiles.nextCheckpoint();
        KeyedStateSnapshot snapshot = backend.snapshot().write(files);
        backend.notifyCheckpointComplete(files.checkpointId());
        return snapshot;
    }

    /** A complete savepoint of {@code backend}: both parts of {@link SnapshotKind#SAVEPOINT}'s snapshot. */
    protected KeyedStateSnapshot savepoint(KeyedStateBackend backend) throws Exception {
        return backend.snapshot(SnapshotKind.SAVEPOINT).write(checkpointFiles.nextCheckpoint());
    }

    /** Restores {@code backend} (fresh, unused) from {@code snapshots}. */
    protected void restore(KeyedStateBackend backend, Collection<KeyedStateSnapshot> snapshots) throws Exception {
        backend.restore(checkpointFiles.readable(snapshots));
    }

    /** The synchronous part of a snapshot alone (tests that change state before the write). */
    protected KeyedStateBackend.PendingSnapshot beginSnapshot(KeyedStateBackend backend) throws Exception {
        return backend.snapshot();
    }

    /** The asynchronous part of a snapshot begun with {@link #beginSnapshot}; may run on another thread. */
    protected KeyedStateSnapshot writeSnapshot(KeyedStateBackend.PendingSnapshot pending) throws Exception {
        return pending.write(checkpointFiles.nextCheckpoint());
    }

    /** Where snapshots put files of their own (incremental snapshots): an in-memory checkpoint storage. */
    protected final CheckpointFiles checkpointFiles = new CheckpointFiles();

    /**
     * An in-memory stand-in for a checkpoint storage's state files: a new {@link SnapshotFileWriter} per checkpoint,
     * every file kept (retention is not under test), read back through a {@link StateFileReader} on restore.
     */
    public static final class CheckpointFiles {
        private final Map<StateFileHandle, byte[]> stored = new ConcurrentHashMap<>();
        private final AtomicLong checkpointIds = new AtomicLong();

        public SnapshotFileWriter nextCheckpoint() {
            long id = checkpointIds.incrementAndGet();
            return new SnapshotFileWriter() {
                @Override
                public long checkpointId() {
                    return id;
                }

                @Override
                public StateFileHandle writeShared(String name, Path source) throws IOException {
                    return store(StateFileHandle.Scope.SHARED, name, source);
                }

                @Override
                public StateFileHandle referenceShared(StateFileHandle file) throws IOException {
                    if (!stored.containsKey(file)) {
                        throw new IOException("checkpoint " + id + ": no shared file " + file);
                    }
                    return file;
                }

                @Override
                public StateFileHandle writePrivate(String name, Path source) throws IOException {
                    return store(StateFileHandle.Scope.PRIVATE, name, source);
                }
            };
        }

        private StateFileHandle store(StateFileHandle.Scope scope, String name, Path source) throws IOException {
            byte[] bytes = Files.readAllBytes(source);
            CRC32C crc = new CRC32C();
            crc.update(bytes);
            StateFileHandle handle = new StateFileHandle(scope, name, bytes.length, (int) crc.getValue());
            stored.put(handle, bytes);
            return handle;
        }

        /** The snapshots as a restore gets them: their files readable (unless they already are, from elsewhere). */
        public List<KeyedStateSnapshot> readable(Collection<KeyedStateSnapshot> snapshots) {
            StateFileReader reader = file -> {
                byte[] bytes = stored.get(file);
                if (bytes == null) {
                    throw new IOException("no state file " + file);
                }
                return new ByteArrayInputStream(bytes);
            };
            List<KeyedStateSnapshot> result = new ArrayList<>();
            for (KeyedStateSnapshot s : snapshots) {
                boolean needsReader = s.files() != null && s.files().reader() == null;
                result.add(needsReader ? new KeyedStateSnapshot(s.keyGroups(), s.files().withReader(reader)) : s);
            }
            return result;
        }
    }

    // ---- backends: every one created is closed after the test ----

    final List<KeyedStateBackend> open = new ArrayList<>();

    /** A new backend with {@code Integer} keys, closed after the test. */
    protected final KeyedStateBackend open(KeyGroupRange range, int maxParallelism, LongSupplier clock) throws Exception {
        return open(StateOwner.UNNAMED, range, maxParallelism, clock);
    }

    /** A new backend with {@code Integer} keys holding {@code owner}'s state, closed after the test. */
    protected final KeyedStateBackend open(StateOwner owner, KeyGroupRange range, int maxParallelism, LongSupplier clock)
            throws Exception {
        KeyedStateBackend b = createBackend(owner, range, maxParallelism, Types.INT, clock);
        assertNotNull(b, "createBackend returned null");
        open.add(b);
        return b;
    }

    /** Closes {@code b} now (tests that create many backends). */
    protected final void close(KeyedStateBackend b) {
        open.removeIf(x -> x == b);
        b.close();
    }

    @AfterEach
    void closeBackends() {
        RuntimeException failure = null;
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        open.clear();
        if (failure != null) {
            throw failure;
        }
    }

    // ---- states under test and their oracle ----

    /** Average of longs; the accumulator {sum, count} is a mutable list changed in place, as the API allows. */
    static final AggregateFunction<Long, List<Long>, Double> AVERAGE = new AggregateFunction<>() {
        @Override
        public List<Long> createAccumulator() {
            return new ArrayList<>(List.of(0L, 0L));
        }

        @Override
        public List<Long> add(Long value, List<Long> acc) {
            acc.set(0, acc.get(0) + value);
            acc.set(1, acc.get(1) + 1);
            return acc;
        }

        @Override
        public Double getResult(List<Long> acc) {
            return acc.get(1) == 0 ? null : (double) acc.get(0) / acc.get(1);
        }

        @Override
        public List<Long> merge(List<Long> a, List<Long> b) {
            a.set(0, a.get(0) + b.get(0));
            a.set(1, a.get(1) + b.get(1));
            return a;
        }
    };

    static final List<String> NAMESPACES = List.of("w0", "w1", "w2", "w3");
    static final long DEFAULT = -1L;

    /** One handle of each kind, registered under {@code prefix}; namespaced when a serializer is given. */
    static final class Handles {
        final ValueState<Long> value;
        final ListState<String> list;
        final MapState<Integer, String> map;
        final ReducingState<Long> sum;
        final AggregatingState<Long, Double> avg;
        final boolean namespaced;

        Handles(KeyedStateBackend b, String prefix, TypeSerializer<?> namespaceSerializer, StateTtlConfig ttl) {
            namespaced = namespaceSerializer != null;
            value = get(b, new ValueStateDescriptor<>(prefix + "value", Types.LONG, DEFAULT, ttl), namespaceSerializer);
            list = get(b, new ListStateDescriptor<>(prefix + "list", Types.STRING, ttl), namespaceSerializer);
            map = get(b, new MapStateDescriptor<>(prefix + "map", Types.INT, Types.STRING, ttl), namespaceSerializer);
            sum = get(b, new ReducingStateDescriptor<>(prefix + "sum", Long::sum, Types.LONG, ttl), namespaceSerializer);
            avg = get(b, new AggregatingStateDescriptor<>(prefix + "avg", AVERAGE, Types.list(Types.LONG), ttl),
                    namespaceSerializer);
        }

        static Handles plain(KeyedStateBackend b) {
            return new Handles(b, "", null, null);
        }

        static Handles windowed(KeyedStateBackend b) {
            return new Handles(b, "w-", Types.STRING, null);
        }

        /** The state of {@code d}, namespaced if {@code ns} is not {@code null}. */
        static <S extends State> S get(KeyedStateBackend b, StateDescriptor<S> d, TypeSerializer<?> ns) {
            return ns == null ? b.getState(d) : b.getNamespacedState(d, ns);
        }

        List<State> all() {
            return List.of(value, list, map, sum, avg);
        }

        void namespace(Object ns) {
            namespace(all(), ns);
        }

        /** Scopes every one of {@code states} to {@code ns}. */
        static void namespace(List<State> states, Object ns) {
            for (State s : states) {
                ((InternalKeyedState) s).setCurrentNamespace(ns);
            }
        }
    }

    /** The oracle: per (key, namespace) what each state holds. */
    static final class Model {
        final Map<List<Object>, Long> value = new HashMap<>();
        final Map<List<Object>, List<String>> list = new HashMap<>();
        final Map<List<Object>, Map<Integer, String>> map = new HashMap<>();
        final Map<List<Object>, Long> sum = new HashMap<>();
        /** {sum, count} */
        final Map<List<Object>, long[]> avg = new HashMap<>();

        Model copy() {
            Model c = new Model();
            c.value.putAll(value);
            list.forEach((k, v) -> c.list.put(k, new ArrayList<>(v)));
            map.forEach((k, v) -> c.map.put(k, new HashMap<>(v)));
            c.sum.putAll(sum);
            avg.forEach((k, v) -> c.avg.put(k, v.clone()));
            return c;
        }

        Double avgResult(List<Object> id) {
            long[] a = avg.get(id);
            return a == null ? null : (double) a[0] / a[1];
        }

        /** {@link InternalKeyedState#mergeNamespaces} of list, map, reducing and aggregating state, in plain Java. */
        void merge(Object key, Object target, List<?> sources) {
            List<Object> t = List.of(key, target);
            for (Object source : sources) {
                List<Object> s = List.of(key, source);
                List<String> l = list.remove(s);
                if (l != null) {
                    list.computeIfAbsent(t, x -> new ArrayList<>()).addAll(l);
                }
                Map<Integer, String> m = map.remove(s);
                if (m != null) {
                    map.computeIfAbsent(t, x -> new HashMap<>()).putAll(m);
                }
                Long v = sum.remove(s);
                if (v != null) {
                    sum.merge(t, v, Long::sum);
                }
                long[] a = avg.remove(s);
                if (a != null) {
                    avg.merge(t, a, (x, y) -> new long[] {x[0] + y[0], x[1] + y[1]});
                }
            }
        }
    }

    /** Asserts that every state of {@code h} (scoped to {@code key} and {@code ns} by the caller) holds what {@code m} says. */
    static void check(Handles h, Model m, Object key, Object ns, String where) {
        List<Object> id = List.of(key, ns);
        assertEquals(m.value.getOrDefault(id, DEFAULT), h.value.value(), where + ": value state");
        assertEquals(m.list.getOrDefault(id, List.of()), h.list.get(), where + ": list state");
        checkMap(h.map, m.map.getOrDefault(id, Map.of()), where);
        assertEquals(m.sum.get(id), h.sum.get(), where + ": reducing state");
        assertEquals(m.avgResult(id), h.avg.get(), where + ": aggregating state");
    }

    static void checkMap(MapState<Integer, String> state, Map<Integer, String> expected, String where) {
        Map<Integer, String> entries = new HashMap<>();
        int n = 0;
        for (Map.Entry<Integer, String> e : state.entries()) {
            entries.put(e.getKey(), e.getValue());
            n++;
        }
        assertEquals(new TreeMap<>(expected), new TreeMap<>(entries), where + ": map state entries()");
        assertEquals(expected.size(), n, where + ": map state entries() has a map key twice");
        Set<Integer> keys = new HashSet<>();
        state.keys().forEach(keys::add);
        assertEquals(expected.keySet(), keys, where + ": map state keys()");
        List<String> values = new ArrayList<>();
        state.values().forEach(values::add);
        assertEquals(expected.values().stream().sorted().toList(), values.stream().sorted().toList(),
                where + ": map state values()");
        assertEquals(expected.isEmpty(), state.isEmpty(), where + ": map state isEmpty()");
        for (Map.Entry<Integer, String> e : expected.entrySet()) {
            assertEquals(e.getValue(), state.get(e.getKey()), where + ": map state get(" + e.getKey() + ")");
            assertTrue(state.contains(e.getKey()), where + ": map state contains(" + e.getKey() + ")");
        }
    }

    static List<String> randomStrings(Random r, int max) {
        List<String> l = new ArrayList<>();
        int n = r.nextInt(max + 1);
        for (int i = 0; i < n; i++) {
            l.add("s" + r.nextInt(30));
        }
        return l;
    }

    /**
     * One random operation on the current key in namespace {@code ns} (the handles are scoped to it), applied to the
     * oracle too; reads are checked. With {@code namespaces} given, merges between them are among the operations.
     */
    static void randomOperation(Random r, Handles h, Model m, Object key, Object ns, List<?> namespaces, String at)
            throws Exception {
        List<Object> id = List.of(key, ns);
        int ops = namespaces == null ? 22 : 24;
        switch (r.nextInt(ops)) {
            case 0 -> assertEquals(m.value.getOrDefault(id, DEFAULT), h.value.value(), at + ": value state");
            case 1, 2 -> {
                long v = h.value.value() + 1 + r.nextInt(5); // read, then update: the common pattern
                h.value.update(v);
                m.value.put(id, v);
            }
            case 3 -> {
                if (r.nextBoolean()) {
                    h.value.update(null); // null clears
                } else {
                    h.value.clear();
                }
                m.value.remove(id);
                assertEquals(DEFAULT, h.value.value(), at + ": value state after clearing gives the default");
            }
            case 4, 5 -> {
                String s = "s" + r.nextInt(30);
                h.list.add(s);
                m.list.computeIfAbsent(id, x -> new ArrayList<>()).add(s);
            }
            case 6 -> {
                List<String> l = randomStrings(r, 3);
                h.list.addAll(l);
                if (!l.isEmpty()) {
                    m.list.computeIfAbsent(id, x -> new ArrayList<>()).addAll(l);
                }
            }
            case 7 -> {
                List<String> l = randomStrings(r, 3);
                h.list.update(l);
                if (l.isEmpty()) {
                    m.list.remove(id);
                } else {
                    m.list.put(id, new ArrayList<>(l));
                }
            }
            case 8 -> {
                List<String> got = h.list.get();
                assertEquals(m.list.getOrDefault(id, List.of()), got, at + ": list state get()");
                got.add("not stored"); // get() returns a copy
                assertEquals(m.list.getOrDefault(id, List.of()), h.list.get(), at + ": list state after changing the copy get() returned");
            }
            case 9 -> {
                h.list.clear();
                m.list.remove(id);
                assertEquals(List.of(), h.list.get(), at + ": list state after clear()");
            }
            case 10, 11 -> {
                int k = r.nextInt(r.nextBoolean() ? 6 : 200);
                String v = "m" + r.nextInt(50);
                h.map.put(k, v);
                m.map.computeIfAbsent(id, x -> new HashMap<>()).put(k, v);
            }
            case 12 -> {
                Map<Integer, String> all = new HashMap<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    all.put(r.nextInt(8), "p" + r.nextInt(50));
                }
                h.map.putAll(all);
                if (!all.isEmpty()) {
                    m.map.computeIfAbsent(id, x -> new HashMap<>()).putAll(all);
                }
            }
            case 13 -> {
                int k = r.nextInt(8);
                Map<Integer, String> expected = m.map.getOrDefault(id, Map.of());
                assertEquals(expected.get(k), h.map.get(k), at + ": map state get(" + k + ")");
                assertEquals(expected.containsKey(k), h.map.contains(k), at + ": map state contains(" + k + ")");
            }
            case 14 -> {
                int k = r.nextInt(8);
                h.map.remove(k); // also when absent
                Map<Integer, String> mm = m.map.get(id);
                if (mm != null) {
                    mm.remove(k);
                    if (mm.isEmpty()) {
                        m.map.remove(id);
                    }
                }
                assertFalse(h.map.contains(k), at + ": map state contains(" + k + ") after remove");
            }
            case 15 -> checkMap(h.map, m.map.getOrDefault(id, Map.of()), at);
            case 16 -> {
                // entries() is a copy: the state may change while it is iterated, and the iteration sees the map as it was
                Map<Integer, String> before = new HashMap<>(m.map.getOrDefault(id, Map.of()));
                Map<Integer, String> seen = new HashMap<>();
                Iterator<Map.Entry<Integer, String>> it = h.map.entries().iterator();
                boolean iteratorRemoved = false;
                while (it.hasNext()) {
                    Map.Entry<Integer, String> e = it.next();
                    seen.put(e.getKey(), e.getValue());
                    if (r.nextBoolean()) {
                        h.map.remove(e.getKey());
                        m.map.computeIfAbsent(id, x -> new HashMap<>()).remove(e.getKey());
                    }
                    if (r.nextInt(4) == 0) {
                        int k = 300 + r.nextInt(4);
                        h.map.put(k, "during iteration");
                        m.map.computeIfAbsent(id, x -> new HashMap<>()).put(k, "during iteration");
                    }
                    if (!iteratorRemoved && r.nextInt(3) == 0) {
                        iteratorRemoved = true;
                        try {
                            it.remove(); // of the copy, if it allows it at all: never of the state
                        } catch (UnsupportedOperationException | IllegalStateException expected) {
                            // a read-only copy is fine too
                        }
                    }
                }
                assertEquals(new TreeMap<>(before), new TreeMap<>(seen), at + ": map state entries() iterated while changing the state");
                if (m.map.containsKey(id) && m.map.get(id).isEmpty()) {
                    m.map.remove(id);
                }
                checkMap(h.map, m.map.getOrDefault(id, Map.of()), at + " (after iterating and removing)");
            }
            case 17 -> {
                h.map.clear();
                m.map.remove(id);
                assertTrue(h.map.isEmpty(), at + ": map state isEmpty() after clear()");
            }
            case 18 -> {
                long v = r.nextInt(100);
                h.sum.add(v);
                m.sum.merge(id, v, Long::sum);
            }
            case 19 -> {
                if (r.nextInt(3) == 0) {
                    h.sum.clear();
                    m.sum.remove(id);
                }
                assertEquals(m.sum.get(id), h.sum.get(), at + ": reducing state");
            }
            case 20 -> {
                long v = r.nextInt(100);
                h.avg.add(v);
                m.avg.merge(id, new long[] {v, 1}, (x, y) -> new long[] {x[0] + y[0], x[1] + y[1]});
            }
            case 21 -> {
                if (r.nextInt(3) == 0) {
                    h.avg.clear();
                    m.avg.remove(id);
                }
                assertEquals(m.avgResult(id), h.avg.get(), at + ": aggregating state");
            }
            default -> {
                // merge some namespaces into another one (maybe not the current one: the handles stay in theirs)
                Object target = namespaces.get(r.nextInt(namespaces.size()));
                List<Object> sources = new ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    Object s = namespaces.get(r.nextInt(namespaces.size()));
                    if (!s.equals(target) && !sources.contains(s)) {
                        sources.add(r.nextBoolean() ? s : new String((String) s)); // equal, not the same object
                    }
                }
                for (State s : List.of(h.list, h.map, h.sum, h.avg)) {
                    ((InternalKeyedState) s).mergeNamespaces(target, sources);
                }
                m.merge(key, target, sources);
                check(h, m, key, ns, at + " (just after merging " + sources + " into " + target + ", read in " + ns + ")");
            }
        }
    }

    static List<Integer> ownedKeys(KeyGroupRange range, int maxParallelism, int n) {
        List<Integer> keys = new ArrayList<>();
        for (int k = 1_000; keys.size() < n; k++) {
            if (range.contains(KeyGroups.keyGroupOf(k, maxParallelism))) {
                keys.add(k);
            }
        }
        return keys;
    }

    /** A key of a key group outside {@code range}. */
    static int foreignKey(KeyGroupRange range, int maxParallelism, int from) {
        int k = from;
        while (range.contains(KeyGroups.keyGroupOf(k, maxParallelism))) {
            k++;
        }
        return k;
    }

    /** A key equal to {@code key}, usually not the same object. */
    static Integer equalKey(int key) {
        return Integer.valueOf(key);
    }

    // ---- a backend with plain and windowed states and two timer services, and its oracle ----

    static final String TIMERS = "timers";
    static final String WINDOW_TIMERS = "w-timers";

    static final class Subject {
        final KeyedStateBackend backend;
        final Handles plain;
        final Handles windowed;
        final TimerQueues timers;
        final TimerQueues windowTimers;

        Subject(KeyedStateBackend backend) {
            this.backend = backend;
            plain = Handles.plain(backend);
            windowed = Handles.windowed(backend);
            timers = backend.timerQueues(TIMERS, null);
            windowTimers = backend.timerQueues(WINDOW_TIMERS, Types.STRING);
        }

        TimerQueue queue(String service, boolean eventTime) {
            TimerQueues q = service.equals(TIMERS) ? timers : windowTimers;
            return eventTime ? q.eventTime() : q.processingTime();
        }
    }

    static final class World {
        final Model plain;
        final Model windowed;
        /** "service/event" or "service/processing" → timers */
        final Map<String, Set<Timer>> timers = new HashMap<>();

        World() {
            this(new Model(), new Model());
        }

        private World(Model plain, Model windowed) {
            this.plain = plain;
            this.windowed = windowed;
            for (String s : List.of(TIMERS, WINDOW_TIMERS)) {
                timers.put(s + "/event", new HashSet<>());
                timers.put(s + "/processing", new HashSet<>());
            }
        }

        World copy() {
            World c = new World(plain.copy(), windowed.copy());
            timers.forEach((k, v) -> c.timers.get(k).addAll(v));
            return c;
        }

        Set<Timer> timers(String service, boolean eventTime) {
            return timers.get(service + (eventTime ? "/event" : "/processing"));
        }
    }

    /** One random operation on a random key of {@code keys}: plain state, windowed state (and merges) or timers. */
    static void randomWorldOperation(Random r, Subject s, World w, List<Integer> keys, String at) throws Exception {
        Integer key = equalKey(keys.get(r.nextInt(r.nextBoolean() ? Math.min(10, keys.size()) : keys.size())));
        s.backend.setCurrentKey(key);
        int what = r.nextInt(10);
        if (what < 4) {
            randomOperation(r, s.plain, w.plain, key, VoidNamespace.INSTANCE, null, at);
        } else if (what < 8) {
            String ns = NAMESPACES.get(r.nextInt(NAMESPACES.size()));
            s.windowed.namespace(ns);
            randomOperation(r, s.windowed, w.windowed, key, ns, NAMESPACES, at);
        } else {
            boolean windowed = r.nextBoolean();
            String service = windowed ? WINDOW_TIMERS : TIMERS;
            boolean eventTime = r.nextBoolean();
            Object ns = windowed ? NAMESPACES.get(r.nextInt(NAMESPACES.size())) : VoidNamespace.INSTANCE;
            Timer t = new Timer(r.nextInt(500), key, ns);
            if (r.nextInt(3) == 0) {
                s.queue(service, eventTime).remove(t);
                w.timers(service, eventTime).remove(t);
            } else {
                assertEquals(w.timers(service, eventTime).add(t), s.queue(service, eventTime).add(t), at + ": add " + t);
            }
        }
    }

    /** Asserts the states of {@code key} in every namespace. */
    static void checkKey(Subject s, World w, Object key, String where) {
        s.backend.setCurrentKey(key);
        check(s.plain, w.plain, key, VoidNamespace.INSTANCE, where + ", key " + key);
        for (String ns : NAMESPACES) {
            s.windowed.namespace(ns);
            check(s.windowed, w.windowed, key, ns, where + ", key " + key + " in " + ns);
        }
    }

    /** Asserts that the backend's timers are exactly the oracle's timers whose keys {@code range} owns. */
    static void checkTimers(Subject s, World w, KeyGroupRange range, int maxParallelism, String where) {
        for (String service : List.of(TIMERS, WINDOW_TIMERS)) {
            for (boolean eventTime : List.of(true, false)) {
                Set<Timer> expected = new HashSet<>();
                for (Timer t : w.timers(service, eventTime)) {
                    if (range.contains(KeyGroups.keyGroupOf(t.key(), maxParallelism))) {
                        expected.add(t);
                    }
                }
                TimerQueue q = s.queue(service, eventTime);
                String what = where + ": " + service + (eventTime ? " event-time" : " processing-time") + " timers";
                assertEquals(expected, new HashSet<>(q.copy()), what);
                assertEquals(expected.size(), q.size(), what + " size()");
            }
        }
    }

    // ==== every state kind under many keys ====

    @Test
    void everyStateKindUnderManyKeysMatchesHashMapOracles() throws Exception {
        for (long seed = 1; seed <= 4; seed++) {
            Random r = new Random(seed);
            int p = 1 + r.nextInt(3);
            int subtask = r.nextInt(p);
            int maxP = List.of(7, 128, 1024).get(r.nextInt(3));
            KeyGroupRange range = KeyGroupRange.of(subtask, p, maxP);
            String where = "seed " + seed + " (subtask " + subtask + "/" + p + ", maxParallelism " + maxP + ")";
            KeyedStateBackend b = open(range, maxP, () -> 0L);
            Handles h = Handles.plain(b);
            Model m = new Model();
            List<Integer> keys = ownedKeys(range, maxP, 150);
            // checkpoints along the way (each may build on the one before): step → snapshot, oracle then
            Map<Integer, KeyedStateSnapshot> checkpoints = new TreeMap<>();
            Map<Integer, Model> oracles = new HashMap<>();
            for (int step = 0; step < 4_000; step++) {
                Integer key = equalKey(keys.get(r.nextInt(r.nextBoolean() ? 10 : keys.size())));
                b.setCurrentKey(key);
                assertEquals(key, b.currentKey(), where + " step " + step + ": currentKey()");
                randomOperation(r, h, m, key, VoidNamespace.INSTANCE, null, where + " step " + step + ", key " + key);
                if (step == 1_999) {
                    checkpoints.put(step, snapshot(b));
                    oracles.put(step, m.copy());
                }
            }
            for (Integer key : keys) {
                b.setCurrentKey(key);
                check(h, m, key, VoidNamespace.INSTANCE, where + " at the end, key " + key);
            }
            checkpoints.put(4_000, snapshot(b));
            oracles.put(4_000, m);
            for (Map.Entry<Integer, KeyedStateSnapshot> c : checkpoints.entrySet()) {
                KeyedStateBackend restored = open(range, maxP, () -> 0L);
                restore(restored, List.of(c.getValue()));
                Handles rh = Handles.plain(restored);
                for (Integer key : keys) {
                    restored.setCurrentKey(key);
                    check(rh, oracles.get(c.getKey()), key, VoidNamespace.INSTANCE,
                            where + ", restored from the checkpoint after step " + c.getKey() + ", key " + key);
                }
                close(restored);
            }
            // the same name gives the same handle, with its content
            assertSame(h.value, b.getState(new ValueStateDescriptor<>("value", Types.LONG, DEFAULT)), where);
            assertSame(h.map, b.getState(new MapStateDescriptor<>("map", Types.INT, Types.STRING)), where);
            close(b);
        }
    }

    // ==== namespaces and merges ====

    @Test
    void namespacedStateAndMergesMatchAnOracle() throws Exception {
        for (long seed = 11; seed <= 14; seed++) {
            Random r = new Random(seed);
            int maxP = List.of(16, 128).get(r.nextInt(2));
            KeyGroupRange range = KeyGroupRange.of(r.nextInt(2), 2, maxP);
            String where = "seed " + seed + " (range " + range + ", maxParallelism " + maxP + ")";
            KeyedStateBackend b = open(range, maxP, () -> 0L);
            Handles h = Handles.windowed(b);
            Handles plain = Handles.plain(b); // void-namespace states beside namespaced ones stay apart
            Model m = new Model();
            Model plainModel = new Model();
            List<Integer> keys = ownedKeys(range, maxP, 60);
            for (int step = 0; step < 4_000; step++) {
                Integer key = equalKey(keys.get(r.nextInt(r.nextBoolean() ? 5 : keys.size())));
                b.setCurrentKey(key);
                String at = where + " step " + step + ", key " + key;
                if (r.nextInt(5) == 0) {
                    randomOperation(r, plain, plainModel, key, VoidNamespace.INSTANCE, null, at);
                } else {
                    String ns = NAMESPACES.get(r.nextInt(NAMESPACES.size()));
                    h.namespace(r.nextBoolean() ? ns : new String(ns));
                    randomOperation(r, h, m, key, ns, NAMESPACES, at + " in " + ns);
                }
            }
            for (Integer key : keys) {
                b.setCurrentKey(key);
                check(plain, plainModel, key, VoidNamespace.INSTANCE, where + " at the end, key " + key);
                for (String ns : NAMESPACES) {
                    h.namespace(ns);
                    check(h, m, key, ns, where + " at the end, key " + key + " in " + ns);
                }
            }
            // a namespace never written is empty; value state cannot be merged
            b.setCurrentKey(keys.getFirst());
            h.namespace("never used");
            check(h, m, keys.getFirst(), "never used", where + " unused namespace");
            h.namespace("w0");
            assertThrows(UnsupportedOperationException.class,
                    () -> ((InternalKeyedState) h.value).mergeNamespaces("w0", List.of("w1")), where);
            close(b);
        }
    }

    @Test
    void mergingNamespacesOfEachMergeableKind() throws Exception {
        KeyGroupRange range = new KeyGroupRange(0, 8);
        KeyedStateBackend b = open(range, 8, () -> 0L);
        Handles h = Handles.windowed(b);
        b.setCurrentKey(1);
        h.namespace("a");
        h.list.addAll(List.of("a1", "a2"));
        h.map.put(1, "a");
        h.map.put(2, "a");
        h.sum.add(1L);
        h.avg.add(1L);
        h.namespace("b");
        h.list.add("b1");
        h.map.put(2, "b");
        h.map.put(3, "b");
        h.sum.add(10L);
        h.avg.add(4L);
        h.namespace("c");
        h.list.add("c1");
        h.sum.add(100L);
        b.setCurrentKey(2); // another key's namespaces are not touched
        h.namespace("b");
        h.list.add("other key");
        h.sum.add(7L);
        b.setCurrentKey(1);
        h.namespace("a");
        for (State s : List.of(h.list, h.map, h.sum, h.avg)) {
            ((InternalKeyedState) s).mergeNamespaces("a", List.of("b", "c"));
        }
        assertEquals(List.of("a1", "a2", "b1", "c1"), h.list.get(), "merged list: target first, then sources in order");
        assertEquals(Map.of(1, "a", 2, "b", 3, "b"), toMap(h.map), "merged map");
        assertEquals(111L, h.sum.get(), "merged reducing state");
        assertEquals(2.5, h.avg.get(), "merged aggregating state");
        h.namespace("b");
        assertEquals(List.of(), h.list.get(), "a merged source is cleared");
        assertTrue(h.map.isEmpty(), "a merged source is cleared");
        assertNull(h.sum.get(), "a merged source is cleared");
        assertNull(h.avg.get(), "a merged source is cleared");
        // into an empty target, and from empty sources
        for (State s : List.of(h.list, h.map, h.sum, h.avg)) {
            ((InternalKeyedState) s).mergeNamespaces("d", List.of("a", "empty"));
        }
        h.namespace("d");
        assertEquals(List.of("a1", "a2", "b1", "c1"), h.list.get(), "merged into an empty namespace");
        assertEquals(Map.of(1, "a", 2, "b", 3, "b"), toMap(h.map));
        assertEquals(111L, h.sum.get());
        assertEquals(2.5, h.avg.get());
        h.namespace("a");
        assertEquals(List.of(), h.list.get());
        assertNull(h.sum.get());
        b.setCurrentKey(2);
        h.namespace("b");
        assertEquals(List.of("other key"), h.list.get(), "another key's state is not merged");
        assertEquals(7L, h.sum.get(), "another key's state is not merged");
    }

    static Map<Integer, String> toMap(MapState<Integer, String> state) {
        Map<Integer, String> m = new HashMap<>();
        state.entries().forEach(e -> m.put(e.getKey(), e.getValue()));
        return m;
    }

    // ==== time to live ====

    @Test
    void timeToLiveWithAManualClockNeverReturnsExpiredValues() throws Exception {
        AtomicLong clock = new AtomicLong(1_000);
        StateTtlConfig ttl = StateTtlConfig.of(Duration.ofMillis(100));
        KeyedStateBackend b = open(new KeyGroupRange(0, 16), 16, clock::get);
        Handles h = new Handles(b, "ttl-", null, ttl);
        Handles rw = new Handles(b, "rw-", null, ttl.updateOnReadAndWrite());
        b.setCurrentKey(1);
        h.value.update(5L);
        h.list.add("x");
        h.map.put(1, "one");
        h.sum.add(3L);
        h.avg.add(4L);
        rw.value.update(6L);
        rw.list.add("x");
        rw.map.put(1, "one");
        rw.map.put(2, "two");
        rw.sum.add(3L);
        rw.avg.add(4L);
        clock.set(1_050);
        h.list.add("y"); // each element expires on its own: y at 1150, x at 1100
        h.map.put(2, "two");
        clock.set(1_099);
        assertEquals(5L, h.value.value());
        assertEquals(List.of("x", "y"), h.list.get());
        assertEquals(Map.of(1, "one", 2, "two"), toMap(h.map));
        assertEquals(3L, h.sum.get());
        assertEquals(4.0, h.avg.get());
        // reading renews: value, list, map entry 1 (not 2), reducing, aggregating until 1199
        assertEquals(6L, rw.value.value());
        assertEquals(List.of("x"), rw.list.get());
        assertEquals("one", rw.map.get(1));
        assertEquals(3L, rw.sum.get());
        assertEquals(4.0, rw.avg.get());
        clock.set(1_100); // expiry is exclusive: at 1100 what was written at 1000 is gone
        assertEquals(DEFAULT, h.value.value(), "expired value state gives the default");
        assertEquals(List.of("y"), h.list.get(), "list elements expire one by one");
        assertNull(h.map.get(1), "map entries expire one by one");
        assertFalse(h.map.contains(1));
        assertEquals("two", h.map.get(2));
        assertEquals(Map.of(2, "two"), toMap(h.map));
        assertNull(h.sum.get());
        assertNull(h.avg.get());
        h.sum.add(7L); // an expired value is not reduced with
        assertEquals(7L, h.sum.get());
        h.avg.add(1L);
        assertEquals(1.0, h.avg.get());
        assertNull(rw.map.get(2), "an entry not read was not renewed");
        assertEquals(Map.of(1, "one"), toMap(rw.map));
        clock.set(1_150);
        assertEquals(List.of(), h.list.get());
        assertTrue(h.map.isEmpty());
        assertFalse(h.map.keys().iterator().hasNext());
        assertFalse(h.map.values().iterator().hasNext());
        clock.set(1_198);
        assertEquals(6L, rw.value.value());
        assertEquals(List.of("x"), rw.list.get());
        assertEquals(3L, rw.sum.get());
        assertEquals(4.0, rw.avg.get());
        clock.set(1_297); // renewed at 1198: lives until 1298
        assertEquals(6L, rw.value.value());
        clock.set(1_397); // value renewed at 1297, the rest at 1198 or before
        assertEquals(DEFAULT, rw.value.value());
        assertEquals(List.of(), rw.list.get());
        assertTrue(rw.map.isEmpty());
        assertNull(rw.sum.get());
        assertNull(rw.avg.get());
        // writing renews
        h.value.update(1L);
        clock.set(1_450);
        h.value.update(2L);
        clock.set(1_520);
        assertEquals(2L, h.value.value());
        h.list.update(List.of("a", "b"));
        h.list.addAll(List.of("c"));
        clock.set(1_619);
        assertEquals(List.of("a", "b", "c"), h.list.get());
        clock.set(1_620);
        assertEquals(List.of(), h.list.get());
    }

    record Timed<T>(T value, long expiresAt) {
        boolean live(long now) {
            return now < expiresAt;
        }
    }

    /** The oracle of TTL'd state (created and written renew; reading does not). */
    static final class TtlModel {
        final long ttl;
        final Map<Object, Timed<Long>> value = new HashMap<>();
        final Map<Object, List<Timed<String>>> list = new HashMap<>();
        final Map<Object, Map<Integer, Timed<String>>> map = new HashMap<>();
        final Map<Object, Timed<Long>> sum = new HashMap<>();
        final Map<Object, Timed<long[]>> avg = new HashMap<>();

        TtlModel(long ttl) {
            this.ttl = ttl;
        }

        Long value(Object key, long now) {
            Timed<Long> t = value.get(key);
            return t != null && t.live(now) ? t.value() : DEFAULT;
        }

        List<String> list(Object key, long now) {
            return list.getOrDefault(key, List.of()).stream().filter(t -> t.live(now)).map(Timed::value).toList();
        }

        Map<Integer, String> map(Object key, long now) {
            Map<Integer, String> live = new HashMap<>();
            map.getOrDefault(key, Map.of()).forEach((k, t) -> {
                if (t.live(now)) {
                    live.put(k, t.value());
                }
            });
            return live;
        }

        Long sum(Object key, long now) {
            Timed<Long> t = sum.get(key);
            return t != null && t.live(now) ? t.value() : null;
        }

        Double avg(Object key, long now) {
            Timed<long[]> t = avg.get(key);
            return t != null && t.live(now) ? (double) t.value()[0] / t.value()[1] : null;
        }

        void checkAll(Handles h, Object key, long now, String where) {
            assertEquals(value(key, now), h.value.value(), where + ": TTL value state");
            assertEquals(list(key, now), h.list.get(), where + ": TTL list state");
            checkMap(h.map, map(key, now), where + " (TTL)");
            assertEquals(sum(key, now), h.sum.get(), where + ": TTL reducing state");
            assertEquals(avg(key, now), h.avg.get(), where + ": TTL aggregating state");
        }
    }

    @Test
    void timeToLiveUnderRandomOperationsAndSnapshotsMatchesAnOracle() throws Exception {
        long ttlMillis = 100;
        StateTtlConfig ttl = StateTtlConfig.of(Duration.ofMillis(ttlMillis));
        for (long seed = 21; seed <= 24; seed++) {
            Random r = new Random(seed);
            AtomicLong clock = new AtomicLong(10_000);
            KeyGroupRange range = KeyGroupRange.of(r.nextInt(2), 2, 32);
            KeyedStateBackend b = open(range, 32, clock::get);
            Handles h = new Handles(b, "ttl-", null, ttl);
            TtlModel m = new TtlModel(ttlMillis);
            List<Integer> keys = ownedKeys(range, 32, 40);
            int steps = 3_000;
            for (int step = 0; step < steps; step++) {
                String where = "seed " + seed + " step " + step + " at time " + clock.get();
                if (step == steps / 2) {
                    // round trip with TTL'd values: restored values keep their expiry
                    KeyedStateSnapshot snap = snapshot(b);
                    close(b);
                    b = open(range, 32, clock::get);
                    restore(b, List.of(snap));
                    h = new Handles(b, "ttl-", null, ttl);
                    for (Integer key : keys) {
                        b.setCurrentKey(key);
                        m.checkAll(h, key, clock.get(), where + " just after restoring, key " + key);
                    }
                }
                if (r.nextInt(3) == 0) {
                    clock.addAndGet(r.nextInt(35));
                }
                long now = clock.get();
                Integer key = equalKey(keys.get(r.nextInt(keys.size())));
                b.setCurrentKey(key);
                String at = where + ", key " + key;
                long expiry = now + ttlMillis;
                switch (r.nextInt(14)) {
                    case 0 -> assertEquals(m.value(key, now), h.value.value(), at + ": TTL value state");
                    case 1 -> {
                        long v = r.nextInt(1000);
                        h.value.update(v);
                        m.value.put(key, new Timed<>(v, expiry));
                    }
                    case 2 -> {
                        String s = "e" + r.nextInt(100);
                        h.list.add(s);
                        m.list.computeIfAbsent(key, x -> new ArrayList<>()).add(new Timed<>(s, expiry));
                    }
                    case 3 -> {
                        List<String> l = randomStrings(r, 3);
                        if (r.nextBoolean()) {
                            h.list.addAll(l);
                            for (String s : l) {
                                m.list.computeIfAbsent(key, x -> new ArrayList<>()).add(new Timed<>(s, expiry));
                            }
                        } else {
                            h.list.update(l);
                            m.list.put(key, new ArrayList<>(l.stream().map(s -> new Timed<>(s, expiry)).toList()));
                        }
                    }
                    case 4 -> assertEquals(m.list(key, now), h.list.get(), at + ": TTL list state");
                    case 5 -> {
                        int k = r.nextInt(6);
                        String v = "v" + r.nextInt(100);
                        h.map.put(k, v);
                        m.map.computeIfAbsent(key, x -> new HashMap<>()).put(k, new Timed<>(v, expiry));
                    }
                    case 6 -> {
                        int k = r.nextInt(6);
                        assertEquals(m.map(key, now).get(k), h.map.get(k), at + ": TTL map state get(" + k + ")");
                        assertEquals(m.map(key, now).containsKey(k), h.map.contains(k), at + ": TTL map state contains(" + k + ")");
                    }
                    case 7 -> {
                        int k = r.nextInt(6);
                        h.map.remove(k);
                        m.map.getOrDefault(key, new HashMap<>()).remove(k);
                    }
                    case 8 -> checkMap(h.map, m.map(key, now), at + " (TTL)");
                    case 9 -> {
                        long v = r.nextInt(100);
                        h.sum.add(v);
                        Long live = m.sum(key, now);
                        m.sum.put(key, new Timed<>(live == null ? v : live + v, expiry));
                    }
                    case 10 -> assertEquals(m.sum(key, now), h.sum.get(), at + ": TTL reducing state");
                    case 11 -> {
                        long v = r.nextInt(100);
                        h.avg.add(v);
                        Timed<long[]> t = m.avg.get(key);
                        long[] acc = t != null && t.live(now) ? new long[] {t.value()[0] + v, t.value()[1] + 1} : new long[] {v, 1};
                        m.avg.put(key, new Timed<>(acc, expiry));
                    }
                    case 12 -> assertEquals(m.avg(key, now), h.avg.get(), at + ": TTL aggregating state");
                    default -> {
                        switch (r.nextInt(5)) {
                            case 0 -> { h.value.clear(); m.value.remove(key); }
                            case 1 -> { h.list.clear(); m.list.remove(key); }
                            case 2 -> { h.map.clear(); m.map.remove(key); }
                            case 3 -> { h.sum.clear(); m.sum.remove(key); }
                            default -> { h.avg.clear(); m.avg.remove(key); }
                        }
                    }
                }
            }
            for (Integer key : keys) {
                b.setCurrentKey(key);
                m.checkAll(h, key, clock.get(), "seed " + seed + " at the end, key " + key);
            }
            close(b);
        }
    }

    static final long[] WRITTEN_AT = {900, 1_000, 1_060};

    /**
     * TTL'd state (100 ms) of every kind, plain and namespaced, for three keys written at 900, 1000 and 1060 (so
     * expiring at 1000, 1100 and 1160), snapshotted at 1080.
     */
    private KeyedStateSnapshot timeToLiveSnapshotAt1080(List<Integer> keys, StateTtlConfig ttl) throws Exception {
        AtomicLong clock = new AtomicLong();
        KeyGroupRange range = new KeyGroupRange(0, 8);
        KeyedStateBackend b = open(range, 8, clock::get);
        Handles h = new Handles(b, "ttl-", null, ttl);
        Handles w = new Handles(b, "ttl-w-", Types.STRING, ttl);
        w.namespace("ns");
        for (int i = 0; i < 3; i++) {
            clock.set(WRITTEN_AT[i]);
            b.setCurrentKey(keys.get(i));
            for (Handles x : List.of(h, w)) {
                x.value.update((long) i);
                x.list.add("l" + i);
                x.map.put(i, "m" + i);
                x.sum.add((long) i);
                x.avg.add((long) i);
            }
        }
        clock.set(1_080);
        return snapshot(b);
    }

    /** Asserts that key #i's TTL'd states hold what was written (or nothing, when {@code live} is false). */
    private static void checkTimeToLiveKey(KeyedStateBackend r, List<Handles> handles, List<Integer> keys, int i,
            boolean live, String where) {
        r.setCurrentKey(keys.get(i));
        for (Handles x : handles) {
            String at = "key #" + i + " written at " + WRITTEN_AT[i] + ", " + where + (x.namespaced ? ", namespaced" : "");
            assertEquals(live ? (long) i : DEFAULT, x.value.value(), at + ": value state");
            assertEquals(live ? List.of("l" + i) : List.of(), x.list.get(), at + ": list state");
            assertEquals(live ? Map.of(i, "m" + i) : Map.of(), toMap(x.map), at + ": map state");
            assertEquals(live ? (Long) (long) i : null, x.sum.get(), at + ": reducing state");
            assertEquals(live ? (Double) (double) i : null, x.avg.get(), at + ": aggregating state");
        }
    }

    @Test
    void restoredTimeToLiveValuesKeepTheirExpiry() throws Exception {
        StateTtlConfig ttl = StateTtlConfig.of(Duration.ofMillis(100));
        KeyGroupRange range = new KeyGroupRange(0, 8);
        List<Integer> keys = ownedKeys(range, 8, 3);
        KeyedStateSnapshot snap = timeToLiveSnapshotAt1080(keys, ttl);
        AtomicLong clock = new AtomicLong(1_080);
        KeyedStateBackend r = open(range, 8, clock::get);
        restore(r, List.of(snap));
        Handles rh = new Handles(r, "ttl-", null, ttl);
        Handles rw = new Handles(r, "ttl-w-", Types.STRING, ttl);
        rw.namespace("ns");
        List<Handles> both = List.of(rh, rw);
        checkTimeToLiveKey(r, both, keys, 0, false, "snapshot at 1080, restored and read at 1080");
        checkTimeToLiveKey(r, both, keys, 1, true, "snapshot at 1080, restored and read at 1080");
        checkTimeToLiveKey(r, both, keys, 2, true, "snapshot at 1080, restored and read at 1080");
        clock.set(1_099);
        checkTimeToLiveKey(r, both, keys, 1, true, "restored, read at 1099");
        clock.set(1_100);
        checkTimeToLiveKey(r, both, keys, 1, false, "restored, read at 1100");
        checkTimeToLiveKey(r, both, keys, 2, true, "restored, read at 1100");
        clock.set(1_160);
        checkTimeToLiveKey(r, both, keys, 2, false, "restored, read at 1160");
    }

    /**
     * {@link StateTtlConfig}: an expired entry "is removed when next accessed and when a snapshot is written". Seen
     * from outside only when the restoring clock is earlier than the expiry (another machine's clock): an entry expired
     * at the snapshot must not come back.
     */
    @Test
    void snapshotsLeaveOutValuesExpiredAtTheSnapshot() throws Exception {
        StateTtlConfig ttl = StateTtlConfig.of(Duration.ofMillis(100));
        KeyGroupRange range = new KeyGroupRange(0, 8);
        List<Integer> keys = ownedKeys(range, 8, 3);
        KeyedStateSnapshot snap = timeToLiveSnapshotAt1080(keys, ttl);
        KeyedStateBackend r = open(range, 8, () -> 950L);
        restore(r, List.of(snap));
        Handles rh = new Handles(r, "ttl-", null, ttl);
        Handles rw = new Handles(r, "ttl-w-", Types.STRING, ttl);
        rw.namespace("ns");
        List<Handles> both = List.of(rh, rw);
        checkTimeToLiveKey(r, both, keys, 0, false, "expired at 1000, snapshot at 1080, restored and read at 950");
        checkTimeToLiveKey(r, both, keys, 1, true, "snapshot at 1080, restored and read at 950");
        checkTimeToLiveKey(r, both, keys, 2, true, "snapshot at 1080, restored and read at 950");
    }

    // ==== timers ====

    @Test
    void timerQueuesAddRemovePeekPollDueAndSizeMatchAnOracle() throws Exception {
        for (long seed = 31; seed <= 34; seed++) {
            Random r = new Random(seed);
            int maxP = 32;
            KeyGroupRange range = KeyGroupRange.of(r.nextInt(2), 2, maxP);
            KeyedStateBackend b = open(range, maxP, () -> 0L);
            List<Integer> keys = ownedKeys(range, maxP, 20);
            TimerQueues windowed = b.timerQueues("windowed", Types.STRING);
            TimerQueues plain = b.timerQueues("plain", null);
            // the same name gives the same timers
            Timer probe = new Timer(7, keys.getFirst(), "w0");
            assertTrue(windowed.eventTime().add(probe));
            assertFalse(b.timerQueues("windowed", Types.STRING).eventTime().add(probe), "seed " + seed + ": the same name, the same timers");
            b.timerQueues("windowed", Types.STRING).eventTime().remove(probe);
            assertEquals(0, windowed.eventTime().size(), "seed " + seed + ": the same name, the same timers");
            Map<TimerQueue, Set<Timer>> oracle = new HashMap<>();
            for (TimerQueue q : List.of(windowed.eventTime(), windowed.processingTime(), plain.eventTime(), plain.processingTime())) {
                oracle.put(q, new HashSet<>());
                assertEquals(0, q.size());
                assertNull(q.peek());
                assertNull(q.pollDue(Long.MAX_VALUE));
            }
            for (int step = 0; step < 3_000; step++) {
                String at = "seed " + seed + " step " + step;
                boolean isWindowed = r.nextBoolean();
                TimerQueues qs = isWindowed ? windowed : plain;
                TimerQueue q = r.nextBoolean() ? qs.eventTime() : qs.processingTime();
                Set<Timer> o = oracle.get(q);
                Timer t = new Timer(r.nextInt(200), equalKey(keys.get(r.nextInt(keys.size()))),
                        isWindowed ? new String(NAMESPACES.get(r.nextInt(2))) : VoidNamespace.INSTANCE);
                switch (r.nextInt(8)) {
                    case 0, 1, 2 -> assertEquals(o.add(t), q.add(t), at + ": add(" + t + ") (false for a duplicate)");
                    case 3 -> {
                        if (!o.isEmpty() && r.nextBoolean()) {
                            t = o.iterator().next();
                        }
                        q.remove(t);
                        o.remove(t);
                    }
                    case 4 -> {
                        Timer head = q.peek();
                        if (o.isEmpty()) {
                            assertNull(head, at + ": peek() of an empty queue");
                        } else {
                            long min = o.stream().mapToLong(Timer::time).min().getAsLong();
                            assertNotNull(head, at + ": peek()");
                            assertEquals(min, head.time(), at + ": peek() is the earliest timer");
                            assertTrue(o.contains(head), at + ": peek() " + head + " is a registered timer");
                            Timer again = q.peek(); // equal times come in no defined order
                            assertEquals(min, again == null ? null : again.time(), at + ": peek() again");
                            assertEquals(o.size(), q.size(), at + ": peek() does not remove");
                        }
                    }
                    case 5 -> {
                        long due = r.nextInt(220) - 10;
                        long last = Long.MIN_VALUE;
                        Timer polled;
                        while ((polled = q.pollDue(due)) != null) {
                            assertTrue(polled.time() <= due, at + ": pollDue(" + due + ") gave " + polled);
                            long min = o.stream().mapToLong(Timer::time).min().orElse(Long.MAX_VALUE);
                            assertEquals(min, polled.time(), at + ": pollDue(" + due + ") gave " + polled + ", not the earliest");
                            assertTrue(polled.time() >= last, at + ": pollDue(" + due + ") out of time order: " + polled);
                            assertTrue(o.remove(polled), at + ": pollDue(" + due + ") gave an unregistered timer " + polled);
                            last = polled.time();
                        }
                        for (Timer left : o) {
                            assertTrue(left.time() > due, at + ": pollDue(" + due + ") left a due timer " + left);
                        }
                    }
                    default -> assertEquals(o.size(), q.size(), at + ": size()");
                }
            }
            for (Map.Entry<TimerQueue, Set<Timer>> e : oracle.entrySet()) {
                assertEquals(e.getValue(), new HashSet<>(e.getKey().copy()), "seed " + seed + " at the end: copy()");
            }
            close(b);
        }
    }

    @Test
    void timersSurviveSnapshotAndRestoreAlsoAtAnotherKeyGroupRange() throws Exception {
        int maxP = 64;
        KeyGroupRange all = new KeyGroupRange(0, maxP);
        KeyedStateBackend b = open(all, maxP, () -> 0L);
        Subject s = new Subject(b);
        World w = new World();
        Random r = new Random(41);
        List<Integer> keys = ownedKeys(all, maxP, 300);
        for (Integer key : keys) {
            for (int i = r.nextInt(4); i > 0; i--) {
                boolean windowed = r.nextBoolean();
                boolean eventTime = r.nextBoolean();
                String service = windowed ? WINDOW_TIMERS : TIMERS;
                Timer t = new Timer(r.nextInt(1_000), key, windowed ? NAMESPACES.get(r.nextInt(4)) : VoidNamespace.INSTANCE);
                assertEquals(w.timers(service, eventTime).add(t), s.queue(service, eventTime).add(t));
            }
        }
        KeyedStateSnapshot snap = snapshot(b);
        // same range, fresh backend
        KeyedStateBackend same = open(all, maxP, () -> 0L);
        restore(same, List.of(snap));
        checkTimers(new Subject(same), w, all, maxP, "seed 41, restored at the same range");
        // three ranges: each gets exactly the timers of its key groups, and they still come out in time order
        int total = 0;
        for (int sub = 0; sub < 3; sub++) {
            KeyGroupRange range = KeyGroupRange.of(sub, 3, maxP);
            KeyedStateBackend part = open(range, maxP, () -> 0L);
            restore(part, List.of(snap));
            Subject ps = new Subject(part);
            checkTimers(ps, w, range, maxP, "seed 41, restored at subtask " + sub + "/3 " + range);
            for (String service : List.of(TIMERS, WINDOW_TIMERS)) {
                for (boolean eventTime : List.of(true, false)) {
                    TimerQueue q = ps.queue(service, eventTime);
                    int n = q.size();
                    total += n;
                    long last = Long.MIN_VALUE;
                    for (int i = 0; i < n; i++) {
                        Timer t = q.pollDue(Long.MAX_VALUE);
                        assertNotNull(t, "seed 41: restored " + service + " queue at " + range + " ran dry");
                        assertTrue(t.time() >= last, "seed 41: restored timers out of time order: " + t);
                        last = t.time();
                    }
                    assertNull(q.peek());
                }
            }
        }
        int expected = w.timers.values().stream().mapToInt(Set::size).sum();
        assertEquals(expected, total, "seed 41: every timer restored exactly once over three ranges");
    }

    // ==== snapshot isolation (copy-on-write) ====

    @Test
    void changesAfterTheSynchronousPartOfASnapshotAreNotInIt() throws Exception {
        for (long seed = 51; seed <= 52; seed++) {
            Random r = new Random(seed);
            int maxP = 32;
            KeyGroupRange range = KeyGroupRange.of(r.nextInt(2), 2, maxP);
            KeyedStateBackend b = open(range, maxP, () -> 0L);
            Subject s = new Subject(b);
            ValueState<List<Long>> mutable = b.getState(new ValueStateDescriptor<>("mutable", Types.list(Types.LONG)));
            Map<Integer, List<Long>> mutableModel = new HashMap<>();
            World w = new World();
            List<Integer> keys = ownedKeys(range, maxP, 40);
            String where = "seed " + seed;
            for (int step = 0; step < 1_200; step++) {
                randomWorldOperation(r, s, w, keys, where + " before the snapshot, step " + step);
                changeInPlace(r, b, mutable, mutableModel, keys);
            }
            World atFirst = w.copy();
            Map<Integer, List<Long>> mutableAtFirst = deepCopy(mutableModel);
            KeyedStateBackend.PendingSnapshot first = beginSnapshot(b);
            for (int step = 0; step < 1_000; step++) {
                randomWorldOperation(r, s, w, keys, where + " between the snapshots, step " + step);
                changeInPlace(r, b, mutable, mutableModel, keys);
            }
            World atSecond = w.copy();
            Map<Integer, List<Long>> mutableAtSecond = deepCopy(mutableModel);
            KeyedStateBackend.PendingSnapshot second = beginSnapshot(b);
            // the first snapshot is written on another thread while the task thread goes on changing state
            ExecutorService writer = Executors.newSingleThreadExecutor();
            KeyedStateSnapshot firstSnap;
            try {
                Future<KeyedStateSnapshot> firstWrite = writer.submit(() -> writeSnapshot(first));
                for (int step = 0; step < 1_000; step++) {
                    randomWorldOperation(r, s, w, keys, where + " after both snapshots, step " + step);
                    changeInPlace(r, b, mutable, mutableModel, keys);
                    if (step % 100 == 0) {
                        // timers fire too
                        for (TimerQueue q : List.of(s.timers.eventTime(), s.windowTimers.processingTime())) {
                            Timer t;
                            while ((t = q.pollDue(step / 4)) != null) {
                                assertTrue(w.timers(q == s.timers.eventTime() ? TIMERS : WINDOW_TIMERS,
                                        q == s.timers.eventTime()).remove(t), where + ": polled " + t);
                            }
                        }
                    }
                }
                firstSnap = firstWrite.get(60, TimeUnit.SECONDS);
            } finally {
                writer.shutdownNow();
            }
            KeyedStateSnapshot secondSnap = writeSnapshot(second);
            // the backend itself has every change
            for (Integer key : keys) {
                checkKey(s, w, key, where + ", the live backend");
                assertEquals(mutableModel.get(key), mutable.value(), where + ", the live backend, mutable value of key " + key);
            }
            checkTimers(s, w, range, maxP, where + ", the live backend");
            // a checkpoint after both: it may build on what the others wrote
            KeyedStateSnapshot third = snapshot(b);
            // each snapshot has exactly the state of its synchronous part
            for (var c : List.of(new Object[] {firstSnap, atFirst, mutableAtFirst, "first"},
                    new Object[] {secondSnap, atSecond, mutableAtSecond, "second"},
                    new Object[] {third, w, mutableModel, "third"})) {
                KeyedStateBackend restored = open(range, maxP, () -> 0L);
                restore(restored, List.of((KeyedStateSnapshot) c[0]));
                Subject rs = new Subject(restored);
                World expected = (World) c[1];
                @SuppressWarnings("unchecked")
                Map<Integer, List<Long>> expectedMutable = (Map<Integer, List<Long>>) c[2];
                ValueState<List<Long>> rm = restored.getState(new ValueStateDescriptor<>("mutable", Types.list(Types.LONG)));
                String at = where + ", restored from the " + c[3] + " snapshot";
                for (Integer key : keys) {
                    checkKey(rs, expected, key, at);
                    assertEquals(expectedMutable.get(key), rm.value(), at + ", mutable value of key " + key);
                }
                checkTimers(rs, expected, range, maxP, at);
                close(restored);
            }
            close(b);
        }
    }

    /** Reads a key's list value, changes the returned object in place and writes it back. */
    private static void changeInPlace(Random r, KeyedStateBackend b, ValueState<List<Long>> state,
            Map<Integer, List<Long>> model, List<Integer> keys) {
        Integer key = keys.get(r.nextInt(keys.size()));
        b.setCurrentKey(key);
        List<Long> v = state.value();
        if (v == null) {
            v = new ArrayList<>();
        }
        v.add((long) r.nextInt(10));
        if (v.size() > 5) {
            v.removeFirst();
        }
        state.update(v);
        model.put(key, new ArrayList<>(v));
    }

    private static Map<Integer, List<Long>> deepCopy(Map<Integer, List<Long>> m) {
        Map<Integer, List<Long>> c = new HashMap<>();
        m.forEach((k, v) -> c.put(k, new ArrayList<>(v)));
        return c;
    }

    // ==== objects handed out by state, changed in place ====

    @Test
    void objectsHandedOutByStateAndChangedInPlaceAfterASnapshotAreNotInIt() throws Exception {
        int maxP = 16;
        KeyGroupRange range = KeyGroupRange.of(0, 1, maxP);
        KeyedStateBackend b = open(range, maxP, () -> 0L);
        MutableStates s = new MutableStates(b, null);
        MutableStates.Model m = new MutableStates.Model();
        List<Integer> keys = ownedKeys(range, maxP, 30);
        for (Integer key : keys) {
            b.setCurrentKey(key);
            s.fill(m, key, key * 10L);
        }
        MutableStates.Model atSnapshot = m.copy();
        KeyedStateBackend.PendingSnapshot pending = beginSnapshot(b);
        for (Integer key : keys) {
            b.setCurrentKey(key);
            s.changeEverythingInPlace();
            s.changeEverythingInPlace(); // again: an object copied on the first access must not be copied back
        }
        checkRestoredMutables(range, maxP, writeSnapshot(pending), atSnapshot, null, keys,
                "restored from a snapshot taken before objects handed out were changed in place");
    }

    @Test
    void mergesAndInPlaceChangesAfterASnapshotDoNotReachIt() throws Exception {
        int maxP = 16;
        KeyGroupRange range = KeyGroupRange.of(0, 1, maxP);
        KeyedStateBackend b = open(range, maxP, () -> 0L);
        MutableStates s = new MutableStates(b, null, Types.STRING);
        MutableStates.Model m = new MutableStates.Model();
        List<Integer> keys = ownedKeys(range, maxP, 20);
        for (Integer key : keys) {
            b.setCurrentKey(key);
            for (int n = 0; n < NAMESPACES.size(); n++) {
                s.namespace(NAMESPACES.get(n));
                s.fill(m, key * NAMESPACES.size() + n, key * 10L + n); // the model's key: one per key and namespace
            }
        }
        MutableStates.Model atSnapshot = m.copy();
        KeyedStateBackend.PendingSnapshot pending = beginSnapshot(b);
        for (Integer key : keys) {
            b.setCurrentKey(key);
            s.namespace("w0");
            s.merge("w0", List.of("w1", "w2")); // the sources' values go into w0's, which is then changed in place
            s.changeEverythingInPlace();
            s.merge("w3", List.of("w0"));
            s.namespace("w3");
            s.changeEverythingInPlace();
        }
        KeyedStateBackend restored = open(range, maxP, () -> 0L);
        restore(restored, List.of(writeSnapshot(pending)));
        MutableStates rs = new MutableStates(restored, null, Types.STRING);
        for (Integer key : keys) {
            restored.setCurrentKey(key);
            for (int n = 0; n < NAMESPACES.size(); n++) {
                rs.namespace(NAMESPACES.get(n));
                rs.check(atSnapshot, key * NAMESPACES.size() + n, "restored from a snapshot taken before merges and "
                        + "in-place changes, namespace " + NAMESPACES.get(n));
            }
        }
    }

    @Test
    void anAccumulatorReadForWindowResultsAndRenewedOnReadIsStillCopiedBeforeItChanges() throws Exception {
        int maxP = 16;
        KeyGroupRange range = KeyGroupRange.of(0, 1, maxP);
        AtomicLong clock = new AtomicLong(1_000);
        StateTtlConfig ttl = StateTtlConfig.of(Duration.ofDays(1)).updateOnReadAndWrite();
        KeyedStateBackend b = open(range, maxP, clock::get);
        MutableStates s = new MutableStates(b, ttl);
        Integer key = ownedKeys(range, maxP, 1).getFirst();
        b.setCurrentKey(key);
        s.collected.add(1L);
        KeyedStateBackend.PendingSnapshot pending = beginSnapshot(b);
        clock.incrementAndGet();
        assertEquals(List.of(1L), ((InternalAppendingState) s.collected).accumulator(), "read only; renews the expiry");
        s.collected.add(2L); // the aggregate adds to the accumulator in place
        KeyedStateBackend restored = open(range, maxP, () -> 0L);
        restore(restored, List.of(writeSnapshot(pending)));
        restored.setCurrentKey(key);
        assertEquals(List.of(1L), new MutableStates(restored, ttl).collected.get(), "restored from the snapshot before the add");
    }

    /** A snapshot not yet written, and the model as it was at its synchronous part. */
    private record PendingWithModel(KeyedStateBackend.PendingSnapshot snapshot, MutableStates.Model expected, int step) {}

    /** Odd seeds with time to live renewed on every access (values never expire; their expiry keeps changing). */
    @Test
    void inPlaceChangesPutsAndRemovesAmongOverlappingSnapshotsMatchAPlainJavaModel() throws Exception {
        for (long seed = 71; seed <= 74; seed++) {
            StateTtlConfig ttl = seed % 2 == 0 ? null : StateTtlConfig.of(Duration.ofDays(1)).updateOnReadAndWrite();
            String where = "seed " + seed + (ttl == null ? "" : " (with time to live)");
            try {
                inPlaceChangesAmongSnapshots(seed, ttl, where);
            } catch (Exception e) {
                throw new AssertionError(where + ": " + e, e);
            }
        }
    }

    private void inPlaceChangesAmongSnapshots(long seed, StateTtlConfig ttl, String where) throws Exception {
        Random r = new Random(seed);
        int maxP = 16;
        KeyGroupRange range = KeyGroupRange.of(r.nextInt(2), 2, maxP);
        AtomicLong clock = new AtomicLong(1_000);
        KeyedStateBackend b = open(range, maxP, clock::get);
        MutableStates s = new MutableStates(b, ttl);
        MutableStates.Model m = new MutableStates.Model();
        List<Integer> keys = ownedKeys(range, maxP, 25);
        List<PendingWithModel> pending = new ArrayList<>();
        for (int step = 0; step < 1_500; step++) {
            clock.incrementAndGet();
            int op = r.nextInt(100);
            // about one snapshot in a hundred steps: each written one is restored, which is slow on some backends
            if (op < 1 && pending.size() < 3) {
                pending.add(new PendingWithModel(beginSnapshot(b), m.copy(), step));
            } else if (op < 2 && !pending.isEmpty()) {
                PendingWithModel p = pending.remove(r.nextInt(pending.size()));
                checkRestoredMutables(range, maxP, writeSnapshot(p.snapshot()), p.expected(), ttl, keys,
                        where + ", the snapshot of step " + p.step() + " written at step " + step);
            } else {
                Integer key = keys.get(r.nextInt(keys.size()));
                b.setCurrentKey(key);
                s.randomChange(r, m, key, where + ", step " + step);
            }
        }
        for (PendingWithModel p : pending) {
            checkRestoredMutables(range, maxP, writeSnapshot(p.snapshot()), p.expected(), ttl, keys,
                    where + ", the snapshot of step " + p.step() + " written at the end");
        }
        for (Integer key : keys) {
            b.setCurrentKey(key);
            s.check(m, key, where + ", the live backend at the end");
        }
        checkRestoredMutables(range, maxP, snapshot(b), m, ttl, keys, where + ", a snapshot at the end");
        close(b);
    }

    /**
     * Restores {@code snapshot} into a fresh backend and checks that its mutable states (registered with time to live
     * {@code ttl}, at time 0 so that nothing has expired) hold what {@code expected} says.
     */
    private void checkRestoredMutables(KeyGroupRange range, int maxP, KeyedStateSnapshot snapshot,
            MutableStates.Model expected, StateTtlConfig ttl, List<Integer> keys, String where) throws Exception {
        KeyedStateBackend restored = open(range, maxP, () -> 0L);
        restore(restored, List.of(snapshot));
        MutableStates rs = new MutableStates(restored, ttl);
        for (Integer key : keys) {
            restored.setCurrentKey(key);
            rs.check(expected, key, where);
        }
        close(restored);
    }

    @Test
    void aSnapshotJudgesExpiryAtItsSynchronousPart() throws Exception {
        AtomicLong clock = new AtomicLong(1_000);
        StateTtlConfig ttl = StateTtlConfig.of(Duration.ofMillis(100));
        KeyGroupRange range = new KeyGroupRange(0, 4);
        KeyedStateBackend b = open(range, 4, clock::get);
        Handles h = new Handles(b, "ttl-", null, ttl);
        b.setCurrentKey(7);
        h.value.update(1L);
        h.list.add("a");
        h.map.put(1, "a");
        clock.set(1_050);
        KeyedStateBackend.PendingSnapshot pending = beginSnapshot(b);
        clock.set(1_500); // everything expired by the time the snapshot is written
        h.value.update(2L); // and changed after the synchronous part
        KeyedStateSnapshot snap = writeSnapshot(pending);
        clock.set(1_060);
        KeyedStateBackend r = open(range, 4, clock::get);
        restore(r, List.of(snap));
        Handles rh = new Handles(r, "ttl-", null, ttl);
        r.setCurrentKey(7);
        assertEquals(1L, rh.value.value(), "alive at the synchronous part (1050), expires at 1100");
        assertEquals(List.of("a"), rh.list.get());
        assertEquals("a", rh.map.get(1));
    }

    // ==== snapshot / restore round trip ====

    @Test
    void snapshotAndRestoreRoundTripOfEveryKindIntoFreshBackends() throws Exception {
        Random r = new Random(61);
        int maxP = 128;
        KeyGroupRange range = KeyGroupRange.of(1, 3, maxP);
        AtomicLong clock = new AtomicLong(5_000);
        StateTtlConfig ttl = StateTtlConfig.of(Duration.ofMillis(1_000));
        KeyedStateBackend b = open(range, maxP, clock::get);
        Subject s = new Subject(b);
        Handles ttlHandles = new Handles(b, "ttl-", null, ttl);
        World w = new World();
        List<Integer> keys = ownedKeys(range, maxP, 80);
        for (int step = 0; step < 3_000; step++) {
            randomWorldOperation(r, s, w, keys, "seed 61 step " + step);
        }
        for (Integer key : keys) { // TTL'd state: the same content as the plain states (expiring at 6000)
            b.setCurrentKey(key);
            fill(ttlHandles, w.plain, key);
        }
        KeyedStateSnapshot snap = snapshot(b);
        // into a fresh backend, states registered after the restore
        KeyedStateBackend r1 = open(range, maxP, clock::get);
        restore(r1, List.of(snap));
        Subject s1 = new Subject(r1);
        Handles ttl1 = new Handles(r1, "ttl-", null, ttl);
        for (Integer key : keys) {
            checkKey(s1, w, key, "seed 61, restored");
            check(ttl1, w.plain, key, VoidNamespace.INSTANCE, "seed 61, restored TTL state, key " + key);
        }
        checkTimers(s1, w, range, maxP, "seed 61, restored");
        // a backend that registers only some states: what it never registered is in its next snapshot unchanged
        KeyedStateBackend r2 = open(range, maxP, clock::get);
        restore(r2, List.of(snap));
        Handles only = Handles.plain(r2);
        TimerQueues onlyTimers = r2.timerQueues(TIMERS, null);
        assertEquals(w.timers(TIMERS, true).size(), onlyTimers.eventTime().size(), "seed 61, partially registered");
        KeyedStateSnapshot again = snapshot(r2);
        KeyedStateBackend r3 = open(range, maxP, clock::get);
        restore(r3, List.of(again));
        Subject s3 = new Subject(r3);
        Handles ttl3 = new Handles(r3, "ttl-", null, ttl);
        for (Integer key : keys) {
            checkKey(s3, w, key, "seed 61, restored from a backend that registered only some states");
            check(ttl3, w.plain, key, VoidNamespace.INSTANCE, "seed 61, TTL state through a backend that never registered it, key " + key);
        }
        checkTimers(s3, w, range, maxP, "seed 61, restored from a backend that registered only some timers");
        assertNotNull(only);
        // restored TTL'd values keep their expiry
        clock.set(5_999);
        r3.setCurrentKey(keys.getFirst());
        check(ttl3, w.plain, keys.getFirst(), VoidNamespace.INSTANCE, "seed 61, TTL state just before expiry");
        clock.set(6_000);
        for (Integer key : keys) {
            r3.setCurrentKey(key);
            check(ttl3, new Model(), key, VoidNamespace.INSTANCE, "seed 61, TTL state at expiry, key " + key);
        }
        // restoring nothing gives an empty backend
        KeyedStateBackend empty = open(range, maxP, clock::get);
        restore(empty, List.of());
        Subject se = new Subject(empty);
        for (Integer key : keys.subList(0, 10)) {
            checkKey(se, new World(), key, "restored from no snapshot");
        }
        checkTimers(se, new World(), range, maxP, "restored from no snapshot");
    }

    /** Writes the content of {@code m} for {@code key} (void namespace) into {@code h}. */
    static void fill(Handles h, Model m, Object key) {
        List<Object> id = List.of(key, VoidNamespace.INSTANCE);
        if (m.value.containsKey(id)) {
            h.value.update(m.value.get(id));
        }
        if (m.list.containsKey(id)) {
            h.list.update(m.list.get(id));
        }
        if (m.map.containsKey(id)) {
            h.map.putAll(m.map.get(id));
        }
        if (m.sum.containsKey(id)) {
            h.sum.add(m.sum.get(id));
        }
        if (m.avg.containsKey(id)) {
            // an accumulator {sum, count} from adding count values whose sum is sum
            long[] a = m.avg.get(id);
            for (long i = 1; i < a[1]; i++) {
                h.avg.add(0L);
            }
            h.avg.add(a[0]);
        }
    }

    // ==== rescaling ====

    @Test
    void rescalingPutsEveryKeysStateInExactlyTheBackendOwningItsKeyGroup() throws Exception {
        int[][] pairs = {{2, 3}, {3, 2}, {1, 4}, {4, 1}};
        for (int[] pair : pairs) {
            int n = pair[0];
            int m = pair[1];
            long seed = 70L + n * 10L + m;
            Random r = new Random(seed);
            int maxP = r.nextBoolean() ? 128 : 10;
            String where = "seed " + seed + " (" + n + " -> " + m + ", maxParallelism " + maxP + ")";
            World w = new World();
            List<Integer> universe = new ArrayList<>();
            List<KeyedStateSnapshot> snapshots = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                KeyGroupRange range = KeyGroupRange.of(i, n, maxP);
                KeyedStateBackend b = open(range, maxP, () -> 0L);
                Subject s = new Subject(b);
                List<Integer> keys = ownedKeys(range, maxP, 40);
                universe.addAll(keys);
                for (int step = 0; step < 500; step++) {
                    randomWorldOperation(r, s, w, keys, where + ", old subtask " + i + " step " + step);
                }
                snapshots.add(snapshot(b));
                close(b);
            }
            for (int j = 0; j < m; j++) {
                KeyGroupRange range = KeyGroupRange.of(j, m, maxP);
                String at = where + ", new subtask " + j + " " + range;
                KeyedStateBackend b = open(range, maxP, () -> 0L);
                restore(b, snapshots);
                Subject s = new Subject(b);
                int owned = 0;
                for (Integer key : universe) {
                    if (range.contains(KeyGroups.keyGroupOf(key, maxP))) {
                        owned++;
                        checkKey(s, w, key, at);
                    } else {
                        assertThrows(IllegalStateException.class, () -> b.setCurrentKey(key), at + ": foreign key " + key);
                    }
                }
                checkTimers(s, w, range, maxP, at);
                // nothing else: its snapshot, restored over all key groups, holds exactly the keys it owns
                KeyedStateSnapshot mine = snapshot(b);
                close(b);
                KeyedStateBackend all = open(new KeyGroupRange(0, maxP), maxP, () -> 0L);
                restore(all, List.of(mine));
                Subject as = new Subject(all);
                World nothing = new World();
                for (Integer key : universe) {
                    boolean mineKey = range.contains(KeyGroups.keyGroupOf(key, maxP));
                    checkKey(as, mineKey ? w : nothing, key, at + ", its snapshot restored over all key groups ("
                            + (mineKey ? "own" : "foreign") + " key)");
                }
                checkTimers(as, w, range, maxP, at + ", its snapshot restored over all key groups");
                close(all);
                if (m == 1) {
                    assertEquals(universe.size(), owned, at);
                }
            }
        }
    }

    // ==== savepoints: the canonical format, at any parallelism ====

    /** This backend as a side of {@link RescaledSavepoints}. */
    private RescaledSavepoints.Side thisBackend() {
        return new RescaledSavepoints.Side() {
            @Override
            public String name() {
                return getClass().getSimpleName();
            }

            @Override
            public KeyedStateBackend open(KeyGroupRange range, int maxParallelism, LongSupplier clock) throws Exception {
                return KeyedStateBackendContractTest.this.open(range, maxParallelism, clock);
            }

            @Override
            public void close(KeyedStateBackend backend) {
                KeyedStateBackendContractTest.this.close(backend);
            }

            @Override
            public KeyedStateSnapshot savepoint(KeyedStateBackend backend) throws Exception {
                return KeyedStateBackendContractTest.this.savepoint(backend);
            }

            @Override
            public void restore(KeyedStateBackend backend, Collection<KeyedStateSnapshot> snapshots) throws Exception {
                KeyedStateBackendContractTest.this.restore(backend, snapshots);
            }
        };
    }

    /**
     * A savepoint is one canonical file per subtask (never blocks, never native files), and savepoints restore at any
     * parallelism with exactly each new subtask's key groups: every kind of state, windowed state and merges, TTL
     * (values expired at the savepoint left out, the others keeping their expiry), timers of both domains.
     */
    @Test
    void savepointsAreCanonicalFilesRestoredAtAnyParallelism() throws Exception {
        int[][] rescales = {{1, 4}, {4, 1}, {3, 5}, {5, 2}};
        for (int[] rescale : rescales) {
            RescaledSavepoints.run(90L + rescale[0] * 10L + rescale[1], rescale[0], rescale[1], thisBackend(), thisBackend());
        }
    }

    /** State the operator has not registered since a restore goes into the next savepoint unchanged, checkable. */
    @Test
    void stateNotRegisteredSinceARestoreIsInTheNextSavepoint() throws Exception {
        int maxP = 32;
        KeyGroupRange range = new KeyGroupRange(0, maxP);
        KeyedStateBackend b = open(range, maxP, () -> 0L);
        Subject s = new Subject(b);
        World w = new World();
        Random r = new Random(93);
        List<Integer> keys = ownedKeys(range, maxP, 40);
        for (int step = 0; step < 800; step++) {
            randomWorldOperation(r, s, w, keys, "seed 93 step " + step);
        }
        for (KeyedStateSnapshot first : List.of(snapshot(b), savepoint(b))) {
            KeyedStateBackend partly = open(range, maxP, () -> 0L);
            restore(partly, List.of(first));
            Handles.plain(partly); // the windowed states and both timer services stay unregistered
            KeyedStateSnapshot second = savepoint(partly);
            KeyedStateBackend restored = open(range, maxP, () -> 0L);
            restore(restored, List.of(second));
            Subject rs = new Subject(restored);
            for (Integer key : keys) {
                checkKey(rs, w, key, "seed 93, through a savepoint of a backend that registered only some states");
            }
            checkTimers(rs, w, range, maxP, "seed 93, through a savepoint of a backend that registered no timers");
        }
    }

    // ==== serializers: a restore never misreads ====

    /**
     * A restored state (or timer service) whose serializer the job changed fails when the operator registers it,
     * naming the state, the operator (name and uid), the subtask and both serializers; from a checkpoint or a
     * savepoint alike. The same serializers restore fine.
     */
    @Test
    void aStateRestoredWithAnotherSerializerFailsNamingStateOperatorSubtaskAndBothSerializers() throws Exception {
        StateOwner owner = new StateOwner("Count words", "count-uid", 1, 3);
        int maxP = 32;
        KeyGroupRange range = KeyGroupRange.of(1, 3, maxP);
        KeyedStateBackend source = open(owner, range, maxP, () -> 0L);
        Integer key = ownedKeys(range, maxP, 1).getFirst();
        source.setCurrentKey(key);
        source.getState(new ValueStateDescriptor<>("count", Types.LONG)).update(7L);
        source.getState(new MapStateDescriptor<>("seen", Types.STRING, Types.INT)).put("a", 1);
        ListState<String> panes = source.getNamespacedState(new ListStateDescriptor<>("panes", Types.STRING), Types.LONG);
        ((InternalKeyedState) panes).setCurrentNamespace(5L);
        panes.add("x");
        source.timerQueues("timers", Types.LONG).eventTime().add(new Timer(10, key, 5L));
        for (String kind : List.of("checkpoint", "savepoint")) {
            KeyedStateSnapshot snap = kind.equals("savepoint") ? savepoint(source) : snapshot(source);
            String where = "restored from a " + kind;
            assertIncompatible(owner, range, snap, b -> b.getState(new ValueStateDescriptor<>("count", Types.STRING)),
                    List.of("state 'count'", "values", "'long' (version 1)", "'string' (version 1)"), where);
            assertIncompatible(owner, range, snap, b -> b.getState(new MapStateDescriptor<>("seen", Types.STRING, Types.LONG)),
                    List.of("state 'seen'", "map values", "'int' (version 1)", "'long' (version 1)"), where);
            assertIncompatible(owner, range, snap,
                    b -> b.getNamespacedState(new ListStateDescriptor<>("panes", Types.STRING), Types.STRING),
                    List.of("state 'panes'", "namespaces", "'long' (version 1)", "'string' (version 1)"), where);
            assertIncompatible(owner, range, snap, b -> b.timerQueues("timers", Types.STRING),
                    List.of("timer service 'timers'", "namespaces", "'long' (version 1)", "'string' (version 1)"), where);
            KeyedStateBackend keyedByString = createBackend(owner, range, maxP, Types.STRING, () -> 0L);
            open.add(keyedByString);
            restore(keyedByString, List.of(snap));
            IllegalStateException keys = assertThrows(IllegalStateException.class,
                    () -> keyedByString.getState(new ValueStateDescriptor<>("count", Types.LONG)), where + ": another key type");
            assertTrue(keys.getMessage().contains("keys were written by serializer 'int' (version 1)")
                    && keys.getMessage().contains("'string' (version 1)"), where + ": " + keys.getMessage());
            KeyedStateBackend same = open(owner, range, maxP, () -> 0L);
            restore(same, List.of(snap));
            same.setCurrentKey(key);
            assertEquals(7L, same.getState(new ValueStateDescriptor<>("count", Types.LONG)).value(), where + ", same serializers");
            assertEquals(1, same.timerQueues("timers", Types.LONG).eventTime().size(), where + ", same serializers");
        }
    }

    private void assertIncompatible(StateOwner owner, KeyGroupRange range, KeyedStateSnapshot snap,
            java.util.function.Consumer<KeyedStateBackend> register, List<String> expected, String where) throws Exception {
        KeyedStateBackend b = open(owner, range, 32, () -> 0L);
        restore(b, List.of(snap));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> register.accept(b), where + ": " + expected);
        String message = e.getMessage();
        List<String> parts = new ArrayList<>(List.of("operator 'Count words'", "uid count-uid", "subtask 2/3"));
        parts.addAll(expected);
        for (String part : parts) {
            assertTrue(message.contains(part), where + ": '" + part + "' missing from: " + message);
        }
        assertFalse(message.contains("null"), where + ": " + message);
        close(b);
    }

    // ==== the in-place rule of ValueState (and of objects got from list and map state) ====

    /**
     * The rule ({@link ValueState}): a value read from state may be changed by the caller, and the change is state
     * once written back ({@code update}, {@code put}, {@code add}): every later read, checkpoint and savepoint of
     * every backend shows exactly what was written back, and nothing written back afterwards.
     */
    @Test
    void aValueChangedInPlaceIsStateOnceWrittenBackInReadsCheckpointsAndSavepoints() throws Exception {
        int maxP = 16;
        KeyGroupRange range = new KeyGroupRange(0, maxP);
        KeyedStateBackend b = open(range, maxP, () -> 0L);
        ValueState<List<Long>> values = b.getState(new ValueStateDescriptor<>("rule-value", Types.list(Types.LONG)));
        MapState<Integer, List<Long>> maps = b.getState(new MapStateDescriptor<>("rule-map", Types.INT, Types.list(Types.LONG)));
        Map<Integer, List<Long>> valueOracle = new HashMap<>();
        Map<Integer, Map<Integer, List<Long>>> mapOracle = new HashMap<>();
        List<Integer> keys = ownedKeys(range, maxP, 20);
        Random r = new Random(97);
        for (int step = 1; step <= 2_000; step++) {
            Integer key = keys.get(r.nextInt(keys.size()));
            b.setCurrentKey(key);
            long x = r.nextInt(1_000);
            if (r.nextBoolean()) {
                List<Long> v = values.value();
                v = v == null ? new ArrayList<>() : v;
                v.add(x); // changed in place ...
                values.update(v); // ... and written back
                valueOracle.put(key, new ArrayList<>(v));
                assertEquals(valueOracle.get(key), values.value(), "seed 97 step " + step + ": read after update");
            } else {
                int mk = r.nextInt(3);
                List<Long> v = maps.get(mk);
                v = v == null ? new ArrayList<>() : v;
                v.add(x);
                maps.put(mk, v);
                mapOracle.computeIfAbsent(key, k -> new HashMap<>()).put(mk, new ArrayList<>(v));
                assertEquals(mapOracle.get(key).get(mk), maps.get(mk), "seed 97 step " + step + ": read after put");
            }
            if (step % 500 == 0) {
                for (boolean isSavepoint : List.of(false, true)) {
                    KeyedStateSnapshot snap = isSavepoint ? savepoint(b) : snapshot(b);
                    KeyedStateBackend restored = open(range, maxP, () -> 0L);
                    restore(restored, List.of(snap));
                    ValueState<List<Long>> rv = restored.getState(new ValueStateDescriptor<>("rule-value", Types.list(Types.LONG)));
                    MapState<Integer, List<Long>> rm = restored.getState(
                            new MapStateDescriptor<>("rule-map", Types.INT, Types.list(Types.LONG)));
                    for (Integer k : keys) {
                        restored.setCurrentKey(k);
                        String at = "seed 97 step " + step + ", key " + k + ", restored from a " + (isSavepoint ? "savepoint" : "checkpoint");
                        assertEquals(valueOracle.get(k), rv.value(), at);
                        Map<Integer, List<Long>> got = new HashMap<>();
                        rm.entries().forEach(e -> got.put(e.getKey(), e.getValue()));
                        assertEquals(mapOracle.getOrDefault(k, Map.of()), got, at);
                    }
                    close(restored);
                }
            }
        }
    }

    // ==== errors ====

    @Test
    void restoreAfterStateUseFails() throws Exception {
        KeyGroupRange range = new KeyGroupRange(0, 8);
        KeyedStateBackend source = open(range, 8, () -> 0L);
        source.setCurrentKey(1);
        Handles.plain(source).value.update(5L);
        source.timerQueues(TIMERS, null).eventTime().add(new Timer(1, 1, VoidNamespace.INSTANCE));
        KeyedStateSnapshot snap = snapshot(source);

        KeyedStateBackend afterValue = open(range, 8, () -> 0L);
        afterValue.getState(new ValueStateDescriptor<>("value", Types.LONG, DEFAULT));
        assertThrows(IllegalStateException.class, () -> restore(afterValue, List.of(snap)), "restore after getState");

        KeyedStateBackend afterNamespaced = open(range, 8, () -> 0L);
        afterNamespaced.getNamespacedState(new ListStateDescriptor<>("other", Types.STRING), Types.STRING);
        assertThrows(IllegalStateException.class, () -> restore(afterNamespaced, List.of(snap)), "restore after getNamespacedState");

        KeyedStateBackend afterTimers = open(range, 8, () -> 0L);
        afterTimers.timerQueues("other", null);
        assertThrows(IllegalStateException.class, () -> restore(afterTimers, List.of(snap)), "restore after timerQueues");

        // restoring first is fine, and setting a key is not using state
        KeyedStateBackend fine = open(range, 8, () -> 0L);
        fine.setCurrentKey(1);
        restore(fine, List.of(snap));
        fine.setCurrentKey(1);
        assertEquals(5L, Handles.plain(fine).value.value());
    }

    @Test
    void setCurrentKeyOutsideTheRangeFails() throws Exception {
        int maxP = 128;
        KeyGroupRange range = KeyGroupRange.of(1, 3, maxP);
        KeyedStateBackend b = open(range, maxP, () -> 0L);
        ValueState<Long> value = Handles.plain(b).value;
        Integer mine = ownedKeys(range, maxP, 1).getFirst();
        b.setCurrentKey(mine);
        value.update(42L);
        int below = 0;
        while (KeyGroups.keyGroupOf(below, maxP) >= range.first()) {
            below++;
        }
        int above = 0;
        while (KeyGroups.keyGroupOf(above, maxP) < range.end()) {
            above++;
        }
        for (int foreign : List.of(below, above, foreignKey(range, maxP, 5_000))) {
            assertThrows(IllegalStateException.class, () -> b.setCurrentKey(foreign),
                    "key " + foreign + " of key group " + KeyGroups.keyGroupOf(foreign, maxP) + " outside " + range);
            assertEquals(mine, b.currentKey(), "a refused key does not become the current key");
            assertEquals(42L, value.value(), "a refused key does not change the current key's state");
        }
    }

    @Test
    void registeringTheSameNameAsAnotherKindFails() throws Exception {
        KeyedStateBackend b = open(new KeyGroupRange(0, 8), 8, () -> 0L);
        List<java.util.function.Function<String, StateDescriptor<?>>> kinds = List.of(
                n -> new ValueStateDescriptor<>(n, Types.LONG),
                n -> new ListStateDescriptor<>(n, Types.STRING),
                n -> new MapStateDescriptor<>(n, Types.INT, Types.STRING),
                n -> new ReducingStateDescriptor<>(n, Long::sum, Types.LONG),
                n -> new AggregatingStateDescriptor<>(n, AVERAGE, Types.list(Types.LONG)));
        for (int a = 0; a < kinds.size(); a++) {
            String name = "state-" + a;
            StateDescriptor<?> registered = kinds.get(a).apply(name);
            State first = b.getState(registered);
            assertSame(first, b.getState(kinds.get(a).apply(name)), name + ": the same name and kind give the same handle");
            String nsName = "ns-state-" + a;
            b.getNamespacedState(kinds.get(a).apply(nsName), Types.STRING);
            for (int other = 0; other < kinds.size(); other++) {
                if (other == a) {
                    continue;
                }
                StateDescriptor<?> clash = kinds.get(other).apply(name);
                assertThrows(IllegalStateException.class, () -> b.getState(clash),
                        name + " registered as " + registered + ", asked for as " + clash);
                StateDescriptor<?> nsClash = kinds.get(other).apply(nsName);
                assertThrows(IllegalStateException.class, () -> b.getNamespacedState(nsClash, Types.STRING),
                        nsName + " registered as " + kinds.get(a).apply(nsName) + ", asked for as " + nsClash);
            }
        }
    }

    @Test
    void restoringAStateAsAnotherKindFails() throws Exception {
        KeyGroupRange range = new KeyGroupRange(0, 8);
        KeyedStateBackend source = open(range, 8, () -> 0L);
        source.setCurrentKey(1);
        source.getState(new ValueStateDescriptor<>("x", Types.LONG)).update(1L);
        KeyedStateSnapshot snap = snapshot(source);
        KeyedStateBackend r = open(range, 8, () -> 0L);
        restore(r, List.of(snap));
        assertThrows(IllegalStateException.class, () -> r.getState(new ListStateDescriptor<>("x", Types.STRING)),
                "value state 'x' in the snapshot, asked for as list state");
    }

    @Test
    void namespacedStateUsedBeforeSetCurrentNamespaceFails() throws Exception {
        KeyedStateBackend b = open(new KeyGroupRange(0, 8), 8, () -> 0L);
        Handles h = Handles.windowed(b);
        b.setCurrentKey(1);
        assertThrows(IllegalStateException.class, () -> h.value.value(), "value");
        assertThrows(IllegalStateException.class, () -> h.list.add("x"), "list");
        assertThrows(IllegalStateException.class, () -> h.map.put(1, "x"), "map");
        assertThrows(IllegalStateException.class, () -> h.sum.add(1L), "reducing");
        assertThrows(IllegalStateException.class, () -> h.avg.get(), "aggregating");
        h.namespace("w0");
        h.value.update(1L);
        assertEquals(1L, h.value.value());
    }

    @Test
    void stateUsedWithoutACurrentKeyFails() throws Exception {
        KeyedStateBackend b = open(new KeyGroupRange(0, 8), 8, () -> 0L);
        Handles h = new Handles(b, "", null, null);
        assertThrows(IllegalStateException.class, () -> h.value.value(), "value");
        assertThrows(IllegalStateException.class, () -> h.list.add("x"), "list");
        assertThrows(IllegalStateException.class, () -> h.map.put(1, "x"), "map");
    }

    @Test
    void scopingStateThatIsNotNamespacedFailsAtOnce() throws Exception {
        KeyedStateBackend b = open(new KeyGroupRange(0, 8), 8, () -> 0L);
        b.setCurrentKey(1);
        ValueState<Long> v = b.getState(new ValueStateDescriptor<>("plain", Types.LONG, 0L));
        assertThrows(IllegalArgumentException.class, () -> ((InternalKeyedState) v).setCurrentNamespace("w0"));
    }
}
