package io.sluice.runtime.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.Types;
import io.sluice.runtime.state.KeyedStateBackendContractTest.CheckpointFiles;
import io.sluice.runtime.state.KeyedStateBackendContractTest.Subject;
import io.sluice.runtime.state.KeyedStateBackendContractTest.World;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Savepoints move between keyed state backends: whatever backend took a savepoint, every other restores it, at any
 * parallelism, and back. Backends are created through their {@link KeyedStateBackendFactory} (the SPI a job uses),
 * listed by the module that has them all ({@link #backends()}); every ordered pair with distinct factories is tried.
 * Randomized with fixed seeds; every assertion names the seed, the pair and the step.
 */
public abstract class SavepointPortabilityContract {

    /** A backend under test: a factory with options, and a name for messages. */
    public record Backend(String name, KeyedStateBackendFactory factory, Map<String, String> options) {}

    /** The backends; savepoints are moved between every two of different factories. */
    protected abstract List<Backend> backends();

    private final CheckpointFiles files = new CheckpointFiles();
    private final List<KeyedStateBackend> open = new ArrayList<>();

    @AfterEach
    void closeBackends() {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        open.clear();
    }

    private KeyedStateBackend open(Backend backend, StateOwner owner, KeyGroupRange range, int maxParallelism,
            LongSupplier clock) throws Exception {
        KeyedStateBackend b = backend.factory().create(owner, range, maxParallelism, Types.INT, clock, backend.options());
        open.add(b);
        return b;
    }

    private RescaledSavepoints.Side side(Backend backend) {
        return new RescaledSavepoints.Side() {
            @Override
            public String name() {
                return backend.name();
            }

            @Override
            public KeyedStateBackend open(KeyGroupRange range, int maxParallelism, LongSupplier clock) throws Exception {
                return SavepointPortabilityContract.this.open(backend, StateOwner.UNNAMED, range, maxParallelism, clock);
            }

            @Override
            public void close(KeyedStateBackend b) {
                open.remove(b);
                b.close();
            }

            @Override
            public KeyedStateSnapshot savepoint(KeyedStateBackend b) throws Exception {
                return b.snapshot(SnapshotKind.SAVEPOINT).write(files.nextCheckpoint());
            }

            @Override
            public void restore(KeyedStateBackend b, Collection<KeyedStateSnapshot> snapshots) throws Exception {
                b.restore(files.readable(snapshots));
            }
        };
    }

    /** Every ordered pair of backends of different factories. */
    private List<Backend[]> pairs() {
        List<Backend[]> pairs = new ArrayList<>();
        for (Backend a : backends()) {
            for (Backend b : backends()) {
                if (a.factory().getClass() != b.factory().getClass()) {
                    pairs.add(new Backend[] {a, b});
                }
            }
        }
        assertFalse(pairs.isEmpty(), "backends of at least two factories");
        return pairs;
    }

    /**
     * Every kind of state and timers, savepointed by one backend, restored by another at rescales 1->4, 4->1, 3->5,
     * 5->2, savepointed there and restored back by the first at the first parallelism (see {@link RescaledSavepoints}).
     */
    @Test
    void savepointsMoveBetweenBackendsAtAnyParallelismAndBack() throws Exception {
        int[][] rescales = {{1, 4}, {4, 1}, {3, 5}, {5, 2}};
        int pair = 0;
        for (Backend[] p : pairs()) {
            pair++;
            for (int[] rescale : rescales) {
                long seed = 7_000L + pair * 100L + rescale[0] * 10L + rescale[1];
                RescaledSavepoints.run(seed, rescale[0], rescale[1], side(p[0]), side(p[1]));
            }
        }
    }

    /** A checkpoint in the canonical format (not a backend's native files) moves between backends too. */
    @Test
    void checkpointsInTheCanonicalFormatMoveBetweenBackends() throws Exception {
        int maxP = 64;
        for (Backend[] p : pairs()) {
            KeyGroupRange range = new KeyGroupRange(0, maxP);
            KeyedStateBackend source = open(p[0], StateOwner.UNNAMED, range, maxP, () -> 0L);
            Subject s = new Subject(source);
            World w = new World();
            Random r = new Random(7_777);
            List<Integer> keys = KeyedStateBackendContractTest.ownedKeys(range, maxP, 50);
            for (int step = 0; step < 600; step++) {
                KeyedStateBackendContractTest.randomWorldOperation(r, s, w, keys, "seed 7777 step " + step);
            }
            KeyedStateSnapshot checkpoint = source.snapshot(SnapshotKind.CHECKPOINT).write(files.nextCheckpoint());
            if (checkpoint.files() != null) {
                continue; // the backend's native files (incremental RocksDB): only it restores them
            }
            String where = "seed 7777, a checkpoint of " + p[0].name() + " restored by " + p[1].name();
            for (int sub = 0; sub < 2; sub++) {
                KeyGroupRange half = KeyGroupRange.of(sub, 2, maxP);
                KeyedStateBackend target = open(p[1], StateOwner.UNNAMED, half, maxP, () -> 0L);
                target.restore(files.readable(List.of(checkpoint)));
                Subject ts = new Subject(target);
                for (Integer key : keys) {
                    if (half.contains(KeyGroups.keyGroupOf(key, maxP))) {
                        KeyedStateBackendContractTest.checkKey(ts, w, key, where + " at " + half);
                    }
                }
                KeyedStateBackendContractTest.checkTimers(ts, w, half, maxP, where + " at " + half);
            }
        }
    }

    /**
     * A state savepointed by one backend whose value type the job changed fails in the other backend when
     * registered, naming the state, the operator and subtask, and both serializers; nothing is misread.
     */
    @Test
    void aSerializerChangeFailsAcrossBackendsNamingStateOperatorAndBothSerializers() throws Exception {
        int maxP = 16;
        StateOwner owner = new StateOwner("Running counts", "counts", 0, 2);
        KeyGroupRange range = KeyGroupRange.of(0, 2, maxP);
        for (Backend[] p : pairs()) {
            KeyedStateBackend source = open(p[0], owner, range, maxP, () -> 0L);
            Integer key = KeyedStateBackendContractTest.ownedKeys(range, maxP, 1).getFirst();
            source.setCurrentKey(key);
            source.getState(new ValueStateDescriptor<>("count", Types.LONG)).update(42L);
            KeyedStateSnapshot savepoint = side(p[0]).savepoint(source);
            KeyedStateBackend target = open(p[1], owner, range, maxP, () -> 0L);
            target.restore(files.readable(List.of(savepoint)));
            String where = p[0].name() + " -> " + p[1].name();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> target.getState(new ValueStateDescriptor<>("count", Types.STRING)), where);
            for (String part : List.of("operator 'Running counts'", "uid counts", "subtask 1/2", "state 'count'",
                    "'long' (version 1)", "'string' (version 1)")) {
                assertTrue(e.getMessage().contains(part), where + ": '" + part + "' missing from: " + e.getMessage());
            }
            KeyedStateBackend same = open(p[1], owner, range, maxP, () -> 0L);
            same.restore(files.readable(List.of(savepoint)));
            same.setCurrentKey(key);
            assertEquals(42L, same.getState(new ValueStateDescriptor<>("count", Types.LONG)).value(), where);
            assertNull(same.getState(new ValueStateDescriptor<>("other", Types.LONG)).value(), where);
        }
    }
}
