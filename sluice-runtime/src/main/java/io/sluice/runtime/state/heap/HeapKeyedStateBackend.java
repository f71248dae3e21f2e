package io.sluice.runtime.state.heap;

import io.sluice.api.state.State;
import io.sluice.api.state.StateDescriptor;
import io.sluice.api.types.TypeSerializer;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyGroups;
import io.sluice.runtime.state.KeyedStateBackend;
import io.sluice.runtime.state.KeyedStateSnapshot;
import io.sluice.runtime.timer.TimerQueues;
import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Keyed state on the heap: per state, one {@link StateTable} per key group of this subtask's range; timers in
 * {@link TimerQueues} per timer service. Snapshots are copy-on-write: {@link #snapshot()} copies table arrays
 * (memory copies, no serialization) and the returned writer serializes them later, off the task thread, one block
 * per key group. Restores keep each state's bytes until the operator asks for the state (its serializers come with
 * the descriptor), and write unclaimed bytes back into the next snapshot, so state is never dropped silently.
 */
public final class HeapKeyedStateBackend implements KeyedStateBackend {
    private final KeyGroupRange range;
    private final int maxParallelism;
    private final TypeSerializer<Object> keySerializer;
    private final LongSupplier clock;
    private final Map<String, RegisteredState> states = new LinkedHashMap<>();
    private final Map<String, AbstractHeapState> handles = new LinkedHashMap<>();
    private final Map<String, RegisteredTimers> timers = new LinkedHashMap<>();
    private final RestoredBytes restored = new RestoredBytes();
    private Object currentKey;
    private int currentHash;
    private int currentIndex;
    /** Counts key switches, so a state can tell whether a remembered slot still belongs to the current key. */
    private long keyEpoch;

    /**
     * @param range          the key groups this subtask owns
     * @param maxParallelism the job's number of key groups
     * @param keySerializer  the keys' serializer (for snapshots)
     * @param clock          processing time in milliseconds, for time-to-live
     */
    @SuppressWarnings("unchecked")
    public HeapKeyedStateBackend(KeyGroupRange range, int maxParallelism, TypeSerializer<?> keySerializer, LongSupplier clock) {
        this.range = range;
        this.maxParallelism = maxParallelism;
        this.keySerializer = (TypeSerializer<Object>) keySerializer;
        this.clock = clock;
    }

    // ---- key context ----

    @Override
    public void setCurrentKey(Object key) {
        int hash = KeyGroups.mixedHash(key);
        int keyGroup = KeyGroups.keyGroupOfHash(hash, maxParallelism);
        if (!range.contains(keyGroup)) {
            throw new IllegalStateException("key " + key + " is in key group " + keyGroup + ", outside this subtask's range ["
                    + range.first() + ", " + range.end() + "): is the key selector deterministic?");
        }
        currentKey = key;
        currentHash = hash;
        currentIndex = keyGroup - range.first();
        keyEpoch++;
    }

    @Override
    public Object currentKey() {
        return currentKey;
    }

    @Override
    public KeyGroupRange keyGroupRange() {
        return range;
    }

    int currentIndex() {
        return currentIndex;
    }

    int currentHash() {
        return currentHash;
    }

    long keyEpoch() {
        return keyEpoch;
    }

    long currentTime() {
        return clock.getAsLong();
    }

    // ---- states ----

    @Override
    public <S extends State> S getState(StateDescriptor<S> descriptor) {
        return getNamespacedState(descriptor, null);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <S extends State> S getNamespacedState(StateDescriptor<S> descriptor, TypeSerializer<?> namespaceSerializer) {
        AbstractHeapState existing = handles.get(descriptor.name());
        if (existing != null) {
            RegisteredState r = existing.registration;
            if (r.kind != StateKind.of(descriptor)) {
                throw new IllegalStateException("state '" + descriptor.name() + "' is already registered as " + r.kind
                        + " state, not " + StateKind.of(descriptor));
            }
            return (S) existing;
        }
        RegisteredState registration = new RegisteredState(descriptor, (TypeSerializer<Object>) namespaceSerializer, range.size());
        try {
            restored.decodeState(registration, keySerializer, range, clock.getAsLong());
        } catch (IOException e) {
            throw new IllegalStateException("cannot restore state '" + descriptor.name() + "': " + e.getMessage(), e);
        }
        AbstractHeapState handle = switch (registration.kind) {
            case VALUE -> new HeapValueState<>(this, registration);
            case LIST -> new HeapListState<>(this, registration);
            case MAP -> new HeapMapState<>(this, registration);
            case REDUCING -> new HeapReducingState<>(this, registration);
            case AGGREGATING -> new HeapAggregatingState<>(this, registration);
        };
        states.put(descriptor.name(), registration);
        handles.put(descriptor.name(), handle);
        return (S) handle;
    }

    // ---- timers ----

    @Override
    @SuppressWarnings("unchecked")
    public TimerQueues timerQueues(String name, TypeSerializer<?> namespaceSerializer) {
        RegisteredTimers existing = timers.get(name);
        if (existing != null) {
            return existing.queues();
        }
        RegisteredTimers registered = new RegisteredTimers(name, (TypeSerializer<Object>) namespaceSerializer, new TimerQueues());
        try {
            restored.decodeTimers(registered, keySerializer);
        } catch (IOException e) {
            throw new IllegalStateException("cannot restore the timers of '" + name + "': " + e.getMessage(), e);
        }
        timers.put(name, registered);
        return registered.queues();
    }

    // ---- snapshots ----

    @Override
    public PendingSnapshot snapshot() {
        return HeapSnapshotWriter.capture(states.values(), timers.values(), restored, range, maxParallelism, keySerializer,
                clock.getAsLong());
    }

    @Override
    public void restore(Collection<KeyedStateSnapshot> snapshots) throws IOException {
        if (!states.isEmpty() || !timers.isEmpty()) {
            throw new IllegalStateException("restore must come before any state is used");
        }
        for (KeyedStateSnapshot snapshot : snapshots) {
            if (snapshot.files() != null) {
                throw new IOException("the heap state backend cannot restore state in the '" + snapshot.files().format()
                        + "' format (written by another backend's incremental snapshots): restore with that backend, "
                        + "e.g. --state-backend rocksdb");
            }
            for (Map.Entry<Integer, byte[]> block : snapshot.keyGroups().entrySet()) {
                if (range.contains(block.getKey())) {
                    restored.addBlock(block.getKey(), block.getValue());
                }
            }
        }
    }

    /** Total entries of a state over all key groups (tests, metrics). */
    public int entryCount(String stateName) {
        RegisteredState r = states.get(stateName);
        int n = 0;
        if (r != null) {
            for (StateTable t : r.tables) {
                n += t == null ? 0 : t.size();
            }
        }
        return n;
    }
}
