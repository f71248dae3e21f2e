package io.sluice.runtime.state.heap;

import io.sluice.api.state.State;
import io.sluice.api.state.StateDescriptor;
import io.sluice.api.types.TypeSerializer;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyGroups;
import io.sluice.runtime.state.KeyedStateBackend;
import io.sluice.runtime.state.KeyedStateSnapshot;
import io.sluice.runtime.state.SnapshotKind;
import io.sluice.runtime.state.StateOwner;
import io.sluice.runtime.state.snapshot.CanonicalSnapshotReader;
import io.sluice.runtime.state.snapshot.TimersHeader;
import io.sluice.runtime.timer.TimerQueues;
import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Keyed state on the heap: per state, one {@link StateTable} per key group of this subtask's range (stripes of the whole
 * range for {@code Long} keys, see {@link RegisteredState}); timers in
 * {@link TimerQueues} per timer service. Snapshots are copy-on-write: {@link #snapshot(SnapshotKind)} copies table
 * arrays (memory copies, no serialization) and the returned writer serializes them later, off the task thread, in the
 * canonical format ({@link io.sluice.runtime.state.snapshot.CanonicalFormat}): one block per key group kept in memory
 * for a checkpoint, a streamed file for a savepoint. Restores (canonical blocks and files, and the heap backend's older
 * blocks) keep each state's bytes until the operator asks for the state (its serializers come with the descriptor, and
 * are checked against the ones the snapshot recorded), and write unclaimed bytes back into the next snapshot, so state
 * is never dropped silently. Created by name through {@link HeapBackendFactory} ({@code heap}).
 */
public final class HeapKeyedStateBackend implements KeyedStateBackend {
    private final KeyGroupRange range;
    private final int maxParallelism;
    private final TypeSerializer<Object> keySerializer;
    private final LongSupplier clock;
    private final StateOwner owner;
    private final Map<String, RegisteredState> states = new LinkedHashMap<>();
    private final Map<String, AbstractHeapState> handles = new LinkedHashMap<>();
    private final Map<String, RegisteredTimers> timers = new LinkedHashMap<>();
    private final RestoredBytes restored = new RestoredBytes();
    private Object currentKey;
    private int currentHash;
    private int currentIndex;
    /** The current key's stripe, if it is a {@code Long} (see {@link RegisteredState}). */
    private int currentStripe;
    /** Counts key switches, so a state can tell whether a remembered slot still belongs to the current key. */
    private long keyEpoch;

    /**
     * @param owner          the operator subtask whose state this is, named in errors
     * @param range          the key groups this subtask owns
     * @param maxParallelism the job's number of key groups
     * @param keySerializer  the keys' serializer (for snapshots)
     * @param clock          processing time in milliseconds, for time-to-live
     */
    @SuppressWarnings("unchecked")
    public HeapKeyedStateBackend(StateOwner owner, KeyGroupRange range, int maxParallelism, TypeSerializer<?> keySerializer,
            LongSupplier clock) {
        this.owner = owner;
        this.range = range;
        this.maxParallelism = maxParallelism;
        this.keySerializer = (TypeSerializer<Object>) keySerializer;
        this.clock = clock;
    }

    /** A backend outside a job (tests, benchmarks): its errors name no operator. */
    public HeapKeyedStateBackend(KeyGroupRange range, int maxParallelism, TypeSerializer<?> keySerializer, LongSupplier clock) {
        this(StateOwner.UNNAMED, range, maxParallelism, keySerializer, clock);
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
        currentStripe = key instanceof Long l ? RegisteredState.stripeOf(l) : 0;
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

    int currentStripe() {
        return currentStripe;
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
        RegisteredState registration = new RegisteredState(descriptor, keySerializer,
                (TypeSerializer<Object>) namespaceSerializer, range.size());
        try {
            restored.decodeState(registration, owner, keySerializer, range, clock.getAsLong());
        } catch (IOException e) {
            throw new IllegalStateException(owner + ": cannot restore state '" + descriptor.name() + "': " + e.getMessage(), e);
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
        RegisteredTimers registered = new RegisteredTimers(name, (TypeSerializer<Object>) namespaceSerializer, new TimerQueues(),
                TimersHeader.declared(name, keySerializer, namespaceSerializer));
        try {
            restored.decodeTimers(registered, owner, keySerializer);
        } catch (IOException e) {
            throw new IllegalStateException(owner + ": cannot restore the timers of '" + name + "': " + e.getMessage(), e);
        }
        timers.put(name, registered);
        return registered.queues();
    }

    // ---- snapshots ----

    @Override
    public PendingSnapshot snapshot(SnapshotKind kind) {
        return HeapSnapshotWriter.capture(kind, states.values(), timers.values(), restored, range, maxParallelism,
                keySerializer, clock.getAsLong());
    }

    @Override
    public void restore(Collection<KeyedStateSnapshot> snapshots) throws IOException {
        if (!states.isEmpty() || !timers.isEmpty()) {
            throw new IllegalStateException("restore must come before any state is used");
        }
        for (KeyedStateSnapshot snapshot : snapshots) {
            checkRestorable(snapshot);
            if (snapshot.files() != null) {
                restored.addFile(snapshot.files(), range);
            }
            for (Map.Entry<Integer, byte[]> block : snapshot.keyGroups().entrySet()) {
                if (range.contains(block.getKey())) {
                    restored.addBlock(block.getKey(), block.getValue());
                }
            }
        }
    }

    /** Refuses a backend's native files (incremental RocksDB): only the canonical formats are shared. */
    @Override
    public void checkRestorable(KeyedStateSnapshot snapshot) throws IOException {
        if (snapshot.files() != null && !CanonicalSnapshotReader.isCanonicalFile(snapshot.files())) {
            throw new IOException("the heap state backend cannot restore state in the '" + snapshot.files().format()
                    + "' format (another backend's own checkpoint files): restore it with that backend, e.g. "
                    + "--state-backend rocksdb, and take a savepoint there, which any backend restores");
        }
    }

    /** Total entries of a state over all key groups (tests, metrics). */
    public int entryCount(String stateName) {
        RegisteredState r = states.get(stateName);
        return r == null ? 0 : r.entryCount();
    }
}
