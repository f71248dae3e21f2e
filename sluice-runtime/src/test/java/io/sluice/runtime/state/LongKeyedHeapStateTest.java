package io.sluice.runtime.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.api.state.ListState;
import io.sluice.api.state.ListStateDescriptor;
import io.sluice.api.state.MapState;
import io.sluice.api.state.MapStateDescriptor;
import io.sluice.api.state.ReducingState;
import io.sluice.api.state.ReducingStateDescriptor;
import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.Types;
import io.sluice.runtime.state.KeyedStateBackendContractTest.CheckpointFiles;
import io.sluice.runtime.state.heap.HeapKeyedStateBackend;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The heap backend's states of {@code Long} keys, which keep stripes of the whole key-group range (keys close in
 * value in nearby slots) where other keys have a table per key group: every kind of state against plain maps (the oracle),
 * under ids in sequence, random ids and negative ones; snapshots still hold each key group's entries in that key group's
 * block, so a backend of any other range (one key group, a third of the range, all of it) restores exactly the keys
 * it owns; and a change after a snapshot's synchronous part does not reach it. Seeded; a failure names its seed.
 */
class LongKeyedHeapStateTest {
    private static final int MAX_PARALLELISM = 64;

    /** The oracle: per key, what each state holds. */
    private static final class Model {
        final Map<Long, Long> counts = new HashMap<>();
        final Map<Long, Long> sums = new HashMap<>();
        final Map<Long, List<Long>> lists = new HashMap<>();
        final Map<Long, Map<Long, String>> maps = new HashMap<>();

        Model copy() {
            Model m = new Model();
            m.counts.putAll(counts);
            m.sums.putAll(sums);
            lists.forEach((k, v) -> m.lists.put(k, new ArrayList<>(v)));
            maps.forEach((k, v) -> m.maps.put(k, new TreeMap<>(v)));
            return m;
        }

        List<Long> keys() {
            java.util.Set<Long> all = new java.util.TreeSet<>(counts.keySet());
            all.addAll(sums.keySet());
            all.addAll(lists.keySet());
            all.addAll(maps.keySet());
            return new ArrayList<>(all);
        }
    }

    /** One backend's handles. */
    private record Handles(HeapKeyedStateBackend backend, ValueState<Long> count, ReducingState<Long> sum,
            ListState<Long> list, MapState<Long, String> map) {
        static Handles of(HeapKeyedStateBackend b) {
            return new Handles(b, b.getState(new ValueStateDescriptor<>("count", Types.LONG)),
                    b.getState(new ReducingStateDescriptor<>("sum", Long::sum, Types.LONG)),
                    b.getState(new ListStateDescriptor<>("list", Types.LONG)),
                    b.getState(new MapStateDescriptor<>("map", Types.LONG, Types.STRING)));
        }
    }

    private final CheckpointFiles files = new CheckpointFiles();

    @Test
    void everyKindOfStateUnderLongKeysSnapshotsPerKeyGroupAndRestoresAtAnyRange() throws Exception {
        for (long seed = 1; seed <= 4; seed++) {
            try {
                run(seed);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
            }
        }
    }

    private void run(long seed) throws Exception {
        Random random = new Random(seed);
        KeyGroupRange all = new KeyGroupRange(0, MAX_PARALLELISM);
        HeapKeyedStateBackend backend = new HeapKeyedStateBackend(all, MAX_PARALLELISM, Types.LONG, () -> 0L);
        Handles h = Handles.of(backend);
        Model model = new Model();
        long nextId = 1_000_000L * seed;
        List<Long> keys = new ArrayList<>();
        for (int op = 0; op < 30_000; op++) {
            long key;
            int pick = random.nextInt(10);
            if (pick < 5 || keys.isEmpty()) {
                key = pick == 0 ? random.nextLong() : pick == 1 ? -nextId : nextId++; // new: mostly ids in sequence
                keys.add(key);
            } else {
                key = keys.get(keys.size() - 1 - random.nextInt(Math.min(keys.size(), 200))); // recent keys, as hot ids
            }
            randomOperation(random, h, model, key);
        }
        check(h, model, all, "after the operations");

        KeyedStateSnapshot checkpoint = backend.snapshot(SnapshotKind.CHECKPOINT).write(files.nextCheckpoint());
        for (Map.Entry<Integer, byte[]> block : checkpoint.keyGroups().entrySet()) {
            int keyGroup = block.getKey();
            KeyGroupRange one = new KeyGroupRange(keyGroup, keyGroup + 1);
            Handles restored = restore(one, List.of(new KeyedStateSnapshot(Map.of(keyGroup, block.getValue()))));
            check(restored, model, one, "key group " + keyGroup + "'s block alone");
        }
        int third = MAX_PARALLELISM / 3;
        for (KeyGroupRange part : List.of(new KeyGroupRange(0, third), new KeyGroupRange(third, 2 * third),
                new KeyGroupRange(2 * third, MAX_PARALLELISM))) {
            check(restore(part, List.of(checkpoint)), model, part, "the checkpoint in " + part);
        }

        // A savepoint (a file) taken while the state changes after its synchronous part holds the state at that part.
        Model atCapture = model.copy();
        KeyedStateBackend.PendingSnapshot pending = backend.snapshot(SnapshotKind.SAVEPOINT);
        for (int op = 0; op < 3_000; op++) {
            randomOperation(random, h, model, keys.get(random.nextInt(keys.size())));
        }
        KeyedStateSnapshot savepoint = pending.write(files.nextCheckpoint());
        check(restore(all, files.readable(List.of(savepoint))), atCapture, all, "the savepoint");
        check(h, model, all, "the running backend after the savepoint");
    }

    private static void randomOperation(Random random, Handles h, Model m, long key) throws Exception {
        h.backend().setCurrentKey(key);
        switch (random.nextInt(9)) {
            case 0, 1 -> {
                long c = m.counts.getOrDefault(key, 0L) + 1;
                h.count().update(c);
                m.counts.put(key, c);
            }
            case 2 -> {
                long v = random.nextInt(1_000);
                h.sum().add(v);
                m.sums.merge(key, v, Long::sum);
            }
            case 3 -> {
                long v = random.nextLong();
                h.list().add(v);
                m.lists.computeIfAbsent(key, k -> new ArrayList<>()).add(v);
            }
            case 4 -> {
                long mk = random.nextInt(20);
                String v = "v" + random.nextInt(1_000);
                h.map().put(mk, v);
                m.maps.computeIfAbsent(key, k -> new TreeMap<>()).put(mk, v);
            }
            case 5 -> {
                h.count().clear();
                m.counts.remove(key);
            }
            case 6 -> {
                h.list().clear();
                m.lists.remove(key);
            }
            case 7 -> {
                h.map().clear();
                m.maps.remove(key);
            }
            default -> {
                h.sum().clear();
                m.sums.remove(key);
            }
        }
    }

    private Handles restore(KeyGroupRange range, List<KeyedStateSnapshot> snapshots) throws Exception {
        HeapKeyedStateBackend b = new HeapKeyedStateBackend(range, MAX_PARALLELISM, Types.LONG, () -> 0L);
        b.restore(snapshots);
        return Handles.of(b);
    }

    /** {@code h} holds exactly the model's entries of the keys in {@code range}, and none of any other key. */
    private static void check(Handles h, Model m, KeyGroupRange range, String where) throws Exception {
        Model owned = new Model();
        for (Long key : m.keys()) {
            if (range.contains(KeyGroups.keyGroupOf(key, MAX_PARALLELISM))) {
                copyKey(m, owned, key);
            }
        }
        HeapKeyedStateBackend b = h.backend();
        assertEquals(owned.counts.size(), b.entryCount("count"), where + ": entries of 'count'");
        assertEquals(owned.sums.size(), b.entryCount("sum"), where + ": entries of 'sum'");
        assertEquals(owned.lists.size(), b.entryCount("list"), where + ": entries of 'list'");
        assertEquals(owned.maps.size(), b.entryCount("map"), where + ": entries of 'map'");
        for (Long key : owned.keys()) {
            b.setCurrentKey(key);
            String at = where + ", key " + key;
            assertEquals(owned.counts.get(key), h.count().value(), at + ": count");
            assertEquals(owned.sums.get(key), h.sum().get(), at + ": sum");
            List<Long> list = h.list().get();
            assertEquals(owned.lists.getOrDefault(key, List.of()), list == null ? List.of() : list, at + ": list");
            Map<Long, String> map = new TreeMap<>();
            for (Map.Entry<Long, String> e : h.map().entries()) {
                map.put(e.getKey(), e.getValue());
            }
            assertEquals(owned.maps.getOrDefault(key, Map.of()), map, at + ": map");
        }
    }

    private static void copyKey(Model from, Model to, Long key) {
        if (from.counts.containsKey(key)) {
            to.counts.put(key, from.counts.get(key));
        }
        if (from.sums.containsKey(key)) {
            to.sums.put(key, from.sums.get(key));
        }
        if (from.lists.containsKey(key)) {
            to.lists.put(key, from.lists.get(key));
        }
        if (from.maps.containsKey(key)) {
            to.maps.put(key, from.maps.get(key));
        }
    }
}
