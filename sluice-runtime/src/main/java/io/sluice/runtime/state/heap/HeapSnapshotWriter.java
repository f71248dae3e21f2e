package io.sluice.runtime.state.heap;

import io.sluice.api.types.TypeSerializer;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyGroups;
import io.sluice.runtime.state.KeyedStateBackend.PendingSnapshot;
import io.sluice.runtime.state.KeyedStateSnapshot;
import io.sluice.runtime.state.SnapshotFileWriter;
import io.sluice.runtime.state.SnapshotKind;
import io.sluice.runtime.state.snapshot.CanonicalSnapshotWriter;
import io.sluice.runtime.state.snapshot.RestoredSection;
import io.sluice.runtime.timer.TimerQueue;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Captures a heap backend's state (the synchronous part: array copies, see {@link StateTable#snapshot()}) and later
 * writes the capture in the canonical format, key group by key group (the asynchronous part, any thread): per key
 * group its states' sections ({@link CanonicalStateWriter}), the restored sections no state claimed yet, and its
 * timers. A checkpoint's blocks are kept in memory; a savepoint is streamed into a file. Expired TTL entries are left
 * out: that is the snapshot-time cleanup.
 *
 * <p>Each key group's table is {@linkplain StateTable#release released} as soon as its entries are written (the stripes
 * of a state once all are), or all at once when the capture is {@linkplain #release() dropped} unwritten: until
 * then the task thread copies the values the capture shares before it changes them or hands them out.
 */
final class HeapSnapshotWriter implements PendingSnapshot {
    /**
     * One state as captured: a snapshot per key group of the range (index in the range; {@code null} where the state
     * had no entries), or one per stripe of the range, whose slots the writer sorts by key group.
     */
    private static final class CapturedState {
        final RegisteredState state;
        final StateTable[] tables;
        final StateTable.Snapshot[] entries;
        /** For stripes: each one's slots by key group, sorted when first written ({@code null} for an empty stripe). */
        private KeyGroupSlots[] byKeyGroup;

        private CapturedState(RegisteredState state, StateTable[] tables) {
            this.state = state;
            this.tables = tables;
            this.entries = new StateTable.Snapshot[tables.length];
            for (int i = 0; i < tables.length; i++) {
                if (tables[i] != null && tables[i].size() > 0) {
                    entries[i] = tables[i].snapshot();
                }
            }
        }

        /** Captures {@code state}'s tables: copies of their arrays (the synchronous part). */
        static CapturedState of(RegisteredState state, int keyGroups) {
            if (state.stripes() != null) {
                return new CapturedState(state, state.stripes()); // read only: a state's stripes never change
            }
            StateTable[] tables = new StateTable[keyGroups];
            for (int i = 0; i < keyGroups; i++) {
                tables[i] = state.keyGroupTable(i);
            }
            return new CapturedState(state, tables);
        }

        /** Writes the state's section of the key group at {@code index} in the range, if it has entries there. */
        void write(CanonicalStateWriter out, int index, KeyGroupRange range, int maxParallelism) throws IOException {
            if (state.stripes() != null) {
                if (byKeyGroup == null) {
                    byKeyGroup = new KeyGroupSlots[entries.length];
                    for (int i = 0; i < entries.length; i++) {
                        byKeyGroup[i] = entries[i] == null ? null : KeyGroupSlots.of(entries[i], range, maxParallelism);
                    }
                }
                boolean started = false;
                for (int i = 0; i < entries.length; i++) {
                    KeyGroupSlots slots = byKeyGroup[i];
                    if (slots != null) {
                        started = out.entries(state, entries[i], slots.slots(), slots.from(index), slots.to(index), started);
                    }
                }
                return;
            }
            if (entries[index] != null) {
                out.state(state, entries[index]);
                release(index); // written: the task thread need not copy this table's values for this capture any more
            }
        }

        void release(int index) {
            if (entries[index] != null) {
                tables[index].release(entries[index]);
            }
        }

        void releaseAll() {
            for (int i = 0; i < entries.length; i++) {
                release(i);
            }
        }
    }

    private record CapturedTimers(RegisteredTimers timers, List<TimerQueue.Timer> eventTime, List<TimerQueue.Timer> processingTime) {}

    private final SnapshotKind kind;
    /** In registration order. */
    private final List<CapturedState> states;
    private final List<CapturedTimers> timers;
    private final Map<Integer, RestoredBytes.KeyGroupLeftovers> unclaimed;
    private final KeyGroupRange range;
    private final int maxParallelism;
    private final TypeSerializer<Object> keySerializer;
    private final long now;
    private boolean written;

    private HeapSnapshotWriter(SnapshotKind kind, List<CapturedState> states, List<CapturedTimers> timers,
            Map<Integer, RestoredBytes.KeyGroupLeftovers> unclaimed, KeyGroupRange range, int maxParallelism,
            TypeSerializer<Object> keySerializer, long now) {
        this.kind = kind;
        this.states = states;
        this.timers = timers;
        this.unclaimed = unclaimed;
        this.range = range;
        this.maxParallelism = maxParallelism;
        this.keySerializer = keySerializer;
        this.now = now;
    }

    /** The synchronous part: copies references and arrays, on the task thread. */
    static HeapSnapshotWriter capture(SnapshotKind kind, Collection<RegisteredState> states,
            Collection<RegisteredTimers> timerServices, RestoredBytes restored, KeyGroupRange range, int maxParallelism,
            TypeSerializer<Object> keySerializer, long now) {
        List<CapturedState> captured = new ArrayList<>();
        for (RegisteredState state : states) {
            captured.add(CapturedState.of(state, range.size()));
        }
        List<CapturedTimers> timers = new ArrayList<>();
        for (RegisteredTimers t : timerServices) {
            timers.add(new CapturedTimers(t, t.queues().eventTime().copy(), t.queues().processingTime().copy()));
        }
        return new HeapSnapshotWriter(kind, captured, timers, restored.unclaimed(), range, maxParallelism, keySerializer, now);
    }

    @Override
    public KeyedStateSnapshot write(SnapshotFileWriter files) throws IOException {
        if (written) {
            throw new IllegalStateException("a snapshot is written once");
        }
        written = true;
        try (CanonicalSnapshotWriter out = CanonicalSnapshotWriter.open(kind, range, files)) {
            CanonicalStateWriter states = new CanonicalStateWriter(out, keySerializer, now);
            List<Map<Integer, List<TimerQueue.Timer>[]>> timersByKeyGroup = new ArrayList<>();
            for (CapturedTimers t : timers) {
                timersByKeyGroup.add(byKeyGroup(t));
            }
            for (int keyGroup = range.first(); keyGroup < range.end(); keyGroup++) {
                out.startKeyGroup(keyGroup);
                for (CapturedState state : this.states) {
                    state.write(states, keyGroup - range.first(), range, maxParallelism);
                }
                for (int i = 0; i < timers.size(); i++) {
                    List<TimerQueue.Timer>[] domains = timersByKeyGroup.get(i).get(keyGroup);
                    if (domains != null) {
                        states.timers(timers.get(i).timers(), domains[0], domains[1]);
                    }
                }
                RestoredBytes.KeyGroupLeftovers left = unclaimed.get(keyGroup);
                if (left != null) {
                    for (RestoredSection s : left.sections()) {
                        out.section(s);
                    }
                    for (RestoredBytes.LegacySection s : left.legacy()) {
                        out.legacySection(s.code(), s.name(), s.bytes());
                    }
                }
            }
            return out.finish();
        } finally {
            release();
        }
    }

    /** Releases every captured table (those already released are skipped by the table); any thread. */
    @Override
    public void release() {
        for (CapturedState state : states) {
            state.releaseAll();
        }
    }

    /** A service's timers by key group: {event time, processing time}. */
    @SuppressWarnings("unchecked")
    private Map<Integer, List<TimerQueue.Timer>[]> byKeyGroup(CapturedTimers t) {
        Map<Integer, List<TimerQueue.Timer>[]> grouped = new HashMap<>();
        for (int domain = 0; domain < 2; domain++) {
            for (TimerQueue.Timer timer : domain == 0 ? t.eventTime() : t.processingTime()) {
                List<TimerQueue.Timer>[] lists = grouped.computeIfAbsent(keyGroup(timer.key()),
                        k -> new List[] {new ArrayList<>(), new ArrayList<>()});
                lists[domain].add(timer);
            }
        }
        return grouped;
    }

    private int keyGroup(Object key) {
        int kg = KeyGroups.keyGroupOf(key, maxParallelism);
        if (!range.contains(kg)) {
            throw new IllegalStateException("timer key " + key + " is outside this backend's key groups");
        }
        return kg;
    }
}
