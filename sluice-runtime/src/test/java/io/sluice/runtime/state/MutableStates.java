package io.sluice.runtime.state;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.api.functions.AggregateFunction;
import io.sluice.api.functions.ReduceFunction;
import io.sluice.api.state.AggregatingState;
import io.sluice.api.state.AggregatingStateDescriptor;
import io.sluice.api.state.ListState;
import io.sluice.api.state.ListStateDescriptor;
import io.sluice.api.state.MapState;
import io.sluice.api.state.MapStateDescriptor;
import io.sluice.api.state.ReducingState;
import io.sluice.api.state.ReducingStateDescriptor;
import io.sluice.api.state.State;
import io.sluice.api.state.StateTtlConfig;
import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.TypeSerializer;
import io.sluice.api.types.Types;
import io.sluice.runtime.state.KeyedStateBackendContractTest.Handles;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One state of each kind whose values are mutable objects ({@code byte[]}, lists, a list accumulator handed out as the
 * aggregate's result, a reducer that appends in place), a plain-Java model of what they hold, and the ways user code
 * changes objects it got from state in place: for the tests that a snapshot keeps the state of its synchronous part
 * however the objects handed out are changed afterwards.
 */
final class MutableStates {

    /** Appends the second list to the first, in place: a reducer may reuse its first argument. */
    static final ReduceFunction<List<Long>> APPEND_IN_PLACE = (accumulated, value) -> {
        accumulated.addAll(value);
        return accumulated;
    };

    /** Collects the inputs in its accumulator, which is also the result: {@code get()} hands the accumulator out. */
    static final AggregateFunction<Long, List<Long>, List<Long>> COLLECT = new AggregateFunction<>() {
        @Override
        public List<Long> createAccumulator() {
            return new ArrayList<>();
        }

        @Override
        public List<Long> add(Long value, List<Long> accumulator) {
            accumulator.add(value);
            return accumulator;
        }

        @Override
        public List<Long> getResult(List<Long> accumulator) {
            return accumulator;
        }

        @Override
        public List<Long> merge(List<Long> a, List<Long> b) {
            a.addAll(b);
            return a;
        }
    };

    final ValueState<byte[]> bytes;
    final ListState<List<Long>> lists;
    final MapState<Integer, List<Long>> map;
    final ReducingState<List<Long>> appended;
    final AggregatingState<Long, List<Long>> collected;

    /** The states of {@code b}, with time to live {@code ttl} if not {@code null}. */
    MutableStates(KeyedStateBackend b, StateTtlConfig ttl) {
        this(b, ttl, null);
    }

    /** The same, scoped to namespaces of {@code namespaceSerializer} if it is not {@code null} (see {@link #namespace}). */
    MutableStates(KeyedStateBackend b, StateTtlConfig ttl, TypeSerializer<?> namespaceSerializer) {
        bytes = Handles.get(b, new ValueStateDescriptor<>("m-bytes", Types.BYTES, null, ttl), namespaceSerializer);
        lists = Handles.get(b, new ListStateDescriptor<>("m-lists", Types.list(Types.LONG), ttl), namespaceSerializer);
        map = Handles.get(b, new MapStateDescriptor<>("m-map", Types.INT, Types.list(Types.LONG), ttl), namespaceSerializer);
        appended = Handles.get(b, new ReducingStateDescriptor<>("m-appended", APPEND_IN_PLACE, Types.list(Types.LONG), ttl),
                namespaceSerializer);
        collected = Handles.get(b, new AggregatingStateDescriptor<>("m-collected", COLLECT, Types.list(Types.LONG), ttl),
                namespaceSerializer);
    }

    /** Every state: value, list, map, reducing, aggregating. */
    List<State> all() {
        return List.of(bytes, lists, map, appended, collected);
    }

    /** Scopes every state to {@code ns}. */
    void namespace(Object ns) {
        Handles.namespace(all(), ns);
    }

    /** Merges the current key's {@code sources} into {@code target} in every state that merges (all but the value). */
    void merge(Object target, List<?> sources) throws Exception {
        for (State s : List.of(lists, map, appended, collected)) {
            ((InternalKeyedState) s).mergeNamespaces(target, sources);
        }
    }

    /** The oracle: per key what each state holds, as plain values that no state handle ever sees. */
    static final class Model {
        final Map<Integer, byte[]> bytes = new HashMap<>();
        final Map<Integer, List<List<Long>>> lists = new HashMap<>();
        final Map<Integer, Map<Integer, List<Long>>> map = new HashMap<>();
        final Map<Integer, List<Long>> appended = new HashMap<>();
        final Map<Integer, List<Long>> collected = new HashMap<>();

        /** A deep copy: what the state holds now, kept apart from later changes. */
        Model copy() {
            Model c = new Model();
            bytes.forEach((k, v) -> c.bytes.put(k, v.clone()));
            lists.forEach((k, v) -> c.lists.put(k, copyLists(v)));
            map.forEach((k, v) -> {
                Map<Integer, List<Long>> m = new HashMap<>();
                v.forEach((mk, mv) -> m.put(mk, new ArrayList<>(mv)));
                c.map.put(k, m);
            });
            appended.forEach((k, v) -> c.appended.put(k, new ArrayList<>(v)));
            collected.forEach((k, v) -> c.collected.put(k, new ArrayList<>(v)));
            return c;
        }
    }

    private static List<List<Long>> copyLists(List<List<Long>> lists) {
        List<List<Long>> c = new ArrayList<>();
        lists.forEach(l -> c.add(new ArrayList<>(l)));
        return c;
    }

    /** Asserts that the current key's states hold what {@code m} says of {@code key}; names every state that does not. */
    void check(Model m, Integer key, String where) {
        Map<Integer, List<Long>> entries = new HashMap<>();
        map.entries().forEach(e -> entries.put(e.getKey(), e.getValue()));
        assertAll(where + ", key " + key,
                () -> assertArrayEquals(m.bytes.get(key), bytes.value(), "value state"),
                () -> assertEquals(m.lists.getOrDefault(key, List.of()), lists.get(), "list state"),
                () -> assertEquals(m.map.getOrDefault(key, Map.of()), entries, "map state"),
                () -> assertEquals(m.appended.get(key), appended.get(), "reducing state"),
                () -> assertEquals(m.collected.get(key), collected.get(), "aggregating state"));
    }

    /** Gives the current key a value in every state, derived from {@code seed}, and records it in {@code m}. */
    void fill(Model m, Integer key, long seed) {
        byte[] b = {(byte) seed, (byte) (seed >> 8)};
        bytes.update(b.clone());
        m.bytes.put(key, b);
        List<List<Long>> l = new ArrayList<>(List.of(new ArrayList<>(List.of(seed)), new ArrayList<>(List.of(seed, 1L))));
        lists.update(copyLists(l));
        m.lists.put(key, l);
        for (int mk = 0; mk < 3; mk++) { // each map value starts with its map key
            map.put(mk, new ArrayList<>(List.of((long) mk, seed)));
            m.map.computeIfAbsent(key, x -> new HashMap<>()).put(mk, new ArrayList<>(List.of((long) mk, seed)));
        }
        appended.add(new ArrayList<>(List.of(seed)));
        appended.add(new ArrayList<>(List.of(seed + 1)));
        m.appended.computeIfAbsent(key, x -> new ArrayList<>()).addAll(List.of(seed, seed + 1));
        collected.add(seed);
        m.collected.computeIfAbsent(key, x -> new ArrayList<>()).add(seed);
    }

    /**
     * Changes in place every object the current key's states hand out: the value, list elements, map values reached
     * through {@code get}, {@code entries} and {@code values}, the reduced value and the aggregate's result; then
     * adds to the reducing state (its reducer appends to the stored list in place). Nothing is written back: on the
     * heap backend the changes are then in the state, on others they may not be, so no model follows them.
     */
    void changeEverythingInPlace() {
        byte[] b = bytes.value();
        if (b != null) {
            b[0]++;
        }
        for (List<Long> element : lists.get()) {
            element.add(-1L);
        }
        List<Long> v = map.get(0);
        if (v != null) {
            v.add(-2L);
        }
        map.entries().forEach(e -> e.getValue().add(-3L));
        map.values().forEach(x -> x.add(-4L));
        List<Long> reduced = appended.get();
        if (reduced != null) {
            reduced.add(-5L);
        }
        List<Long> result = collected.get();
        if (result != null) {
            result.add(-6L);
        }
        appended.add(new ArrayList<>(List.of(-7L)));
    }

    /**
     * One random change of the current key's states, mirrored in {@code m}: in-place changes of handed-out objects
     * that are then written back (so every backend has them), puts, adds, removes and clears. Each map value starts
     * with its map key, so values reached through {@code values()} can be put back.
     */
    void randomChange(Random r, Model m, Integer key, String at) {
        long x = r.nextInt(100);
        switch (r.nextInt(12)) {
            case 0 -> { // value: change the array in place, write it back
                byte[] b = bytes.value();
                if (b == null) {
                    b = new byte[] {(byte) x};
                } else {
                    b[r.nextInt(b.length)] += 1;
                }
                bytes.update(b);
                m.bytes.put(key, b.clone());
            }
            case 1 -> { // list: change an element in place, write the list back
                List<List<Long>> l = lists.get();
                if (l.isEmpty()) {
                    l.add(new ArrayList<>());
                }
                l.get(r.nextInt(l.size())).add(x);
                lists.update(l);
                m.lists.put(key, copyLists(l));
            }
            case 2 -> {
                List<Long> element = new ArrayList<>(List.of(x));
                lists.add(element);
                m.lists.computeIfAbsent(key, k -> new ArrayList<>()).add(new ArrayList<>(element));
            }
            case 3 -> { // map: change a value got by key in place, put it back
                int mk = r.nextInt(4);
                List<Long> v = map.get(mk);
                if (v == null) {
                    v = new ArrayList<>(List.of((long) mk));
                }
                v.add(x);
                map.put(mk, v);
                m.map.computeIfAbsent(key, k -> new HashMap<>()).put(mk, new ArrayList<>(v));
            }
            case 4 -> { // map: change every value reached through entries() in place, put each back
                for (Map.Entry<Integer, List<Long>> e : map.entries()) {
                    e.getValue().add(x);
                    map.put(e.getKey(), e.getValue());
                    m.map.get(key).put(e.getKey(), new ArrayList<>(e.getValue()));
                }
            }
            case 5 -> { // map: change values reached through values() in place, put them back (a value starts with its key)
                Map<Integer, List<Long>> changed = new HashMap<>();
                for (List<Long> v : map.values()) {
                    v.add(x);
                    changed.put(v.getFirst().intValue(), v);
                }
                map.putAll(changed);
                changed.forEach((mk, v) -> m.map.get(key).put(mk, new ArrayList<>(v)));
            }
            case 6 -> {
                int mk = r.nextInt(4);
                map.remove(mk);
                Map<Integer, List<Long>> mm = m.map.get(key);
                if (mm != null) {
                    mm.remove(mk);
                    if (mm.isEmpty()) {
                        m.map.remove(key);
                    }
                }
            }
            case 7 -> { // reducing: the reducer appends to the stored list in place
                appended.add(new ArrayList<>(List.of(x)));
                m.appended.computeIfAbsent(key, k -> new ArrayList<>()).add(x);
            }
            case 8 -> { // reducing: change the reduced value in place, write it back as the only value
                List<Long> reduced = appended.get();
                if (reduced != null) {
                    reduced.add(x);
                    appended.clear();
                    appended.add(reduced);
                    m.appended.put(key, new ArrayList<>(reduced));
                }
            }
            case 9 -> {
                collected.add(x);
                m.collected.computeIfAbsent(key, k -> new ArrayList<>()).add(x);
            }
            case 10 -> { // clear one state; all() and the model's maps are in the same order
                int which = r.nextInt(5);
                all().get(which).clear();
                List.of(m.bytes, m.lists, m.map, m.appended, m.collected).get(which).remove(key);
            }
            default -> check(m, key, at + ", a read between changes");
        }
    }
}
