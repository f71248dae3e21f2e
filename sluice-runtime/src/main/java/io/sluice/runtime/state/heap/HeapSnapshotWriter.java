package io.sluice.runtime.state.heap;

import io.sluice.api.types.TypeSerializer;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyGroups;
import io.sluice.runtime.state.KeyedStateBackend.PendingSnapshot;
import io.sluice.runtime.state.KeyedStateSnapshot;
import io.sluice.runtime.state.VoidNamespace;
import io.sluice.runtime.timer.TimerQueue;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Captures a heap backend's state (the synchronous part: array copies, see {@link StateTable#snapshot()}) and later
 * serializes the capture into one block per key group (the asynchronous part, any thread). Expired TTL entries are
 * left out: that is the snapshot-time cleanup. Layout: {@link SnapshotFormat}.
 *
 * <p>Each table is {@linkplain StateTable#release released} as soon as its entries are serialized, or all at once
 * when the capture is {@linkplain #release() dropped} unwritten: until then the task thread copies the values the
 * capture shares before it changes them or hands them out.
 */
final class HeapSnapshotWriter implements PendingSnapshot {
    private record CapturedTable(RegisteredState state, int keyGroup, StateTable table, StateTable.Snapshot entries) {
        void release() {
            table.release(entries);
        }
    }

    private record CapturedTimers(RegisteredTimers timers, List<TimerQueue.Timer> eventTime, List<TimerQueue.Timer> processingTime) {}

    private final List<CapturedTable> tables;
    private final List<CapturedTimers> timers;
    private final Map<String, List<RestoredBytes.Segment>> rawStates;
    private final Map<String, List<RestoredBytes.Segment>> rawTimers;
    private final KeyGroupRange range;
    private final int maxParallelism;
    private final TypeSerializer<Object> keySerializer;
    private final long now;
    private boolean written;

    private HeapSnapshotWriter(List<CapturedTable> tables, List<CapturedTimers> timers,
            Map<String, List<RestoredBytes.Segment>> rawStates, Map<String, List<RestoredBytes.Segment>> rawTimers,
            KeyGroupRange range, int maxParallelism, TypeSerializer<Object> keySerializer, long now) {
        this.tables = tables;
        this.timers = timers;
        this.rawStates = rawStates;
        this.rawTimers = rawTimers;
        this.range = range;
        this.maxParallelism = maxParallelism;
        this.keySerializer = keySerializer;
        this.now = now;
    }

    /** The synchronous part: copies references and arrays, on the task thread. */
    static HeapSnapshotWriter capture(Collection<RegisteredState> states, Collection<RegisteredTimers> timerServices,
            RestoredBytes restored, KeyGroupRange range, int maxParallelism, TypeSerializer<Object> keySerializer, long now) {
        List<CapturedTable> tables = new ArrayList<>();
        for (RegisteredState state : states) {
            for (int i = 0; i < state.tables.length; i++) {
                StateTable t = state.tables[i];
                if (t != null && t.size() > 0) {
                    tables.add(new CapturedTable(state, range.first() + i, t, t.snapshot()));
                }
            }
        }
        List<CapturedTimers> timers = new ArrayList<>();
        for (RegisteredTimers t : timerServices) {
            timers.add(new CapturedTimers(t, t.queues().eventTime().copy(), t.queues().processingTime().copy()));
        }
        return new HeapSnapshotWriter(tables, timers, copy(restored.unclaimedStates()), copy(restored.unclaimedTimers()),
                range, maxParallelism, keySerializer, now);
    }

    private static Map<String, List<RestoredBytes.Segment>> copy(Map<String, List<RestoredBytes.Segment>> raw) {
        Map<String, List<RestoredBytes.Segment>> c = new HashMap<>();
        raw.forEach((k, v) -> c.put(k, List.copyOf(v)));
        return c;
    }

    /** One key group's segments while they are being built. */
    private static final class Block {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final DataOutputStream out = new DataOutputStream(bytes);
        int segments;

        void segment(byte type, String name, byte[] content) throws IOException {
            out.writeByte(type);
            out.writeUTF(name);
            out.writeInt(content.length);
            out.write(content);
            segments++;
        }

        byte[] finish() throws IOException {
            ByteArrayOutputStream all = new ByteArrayOutputStream(bytes.size() + 4);
            DataOutputStream o = new DataOutputStream(all);
            o.writeInt(segments);
            bytes.writeTo(all);
            return all.toByteArray();
        }
    }

    @Override
    public KeyedStateSnapshot write(io.sluice.runtime.state.SnapshotFileWriter files) throws IOException {
        if (written) {
            throw new IllegalStateException("a snapshot is written once");
        }
        written = true;
        Map<Integer, Block> blocks = new HashMap<>();
        try {
            for (CapturedTable t : tables) {
                byte[] content = stateSegment(t);
                t.release(); // serialized: the task thread need not copy this table's values for this capture any more
                if (content != null) {
                    blocks.computeIfAbsent(t.keyGroup(), k -> new Block()).segment(SnapshotFormat.STATE, t.state().name, content);
                }
            }
        } finally {
            release();
        }
        for (CapturedTimers t : timers) {
            writeTimers(t, blocks);
        }
        for (Map.Entry<String, List<RestoredBytes.Segment>> e : rawStates.entrySet()) {
            for (RestoredBytes.Segment s : e.getValue()) {
                blocks.computeIfAbsent(s.keyGroup(), k -> new Block()).segment(SnapshotFormat.STATE, e.getKey(), s.bytes());
            }
        }
        for (Map.Entry<String, List<RestoredBytes.Segment>> e : rawTimers.entrySet()) {
            for (RestoredBytes.Segment s : e.getValue()) {
                blocks.computeIfAbsent(s.keyGroup(), k -> new Block()).segment(SnapshotFormat.TIMERS, e.getKey(), s.bytes());
            }
        }
        Map<Integer, byte[]> result = new HashMap<>();
        for (Map.Entry<Integer, Block> e : blocks.entrySet()) {
            result.put(e.getKey(), e.getValue().finish());
        }
        return new KeyedStateSnapshot(result);
    }

    /** Releases every captured table (those already released are skipped by the table); any thread. */
    @Override
    public void release() {
        for (CapturedTable t : tables) {
            t.release();
        }
    }

    /** The segment of one state in one key group, or {@code null} if every entry expired. */
    private byte[] stateSegment(CapturedTable t) throws IOException {
        RegisteredState state = t.state();
        boolean namespaced = state.namespaceSerializer != null;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(body);
        ByteArrayOutputStream entryBytes = new ByteArrayOutputStream();
        DataOutputStream entry = new DataOutputStream(entryBytes);
        int count = 0;
        Object[] keys = t.entries().keys();
        Object[] values = t.entries().values();
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == null) {
                continue;
            }
            entryBytes.reset();
            writeKeyAndNamespace(keys[i], state.namespaceSerializer, entry);
            if (state.kind.write(values[i], state.descriptor, state.ttl != null, now, entry)) {
                entryBytes.writeTo(body);
                count++;
            }
        }
        if (count == 0) {
            return null;
        }
        ByteArrayOutputStream segment = new ByteArrayOutputStream(body.size() + 8);
        DataOutputStream s = new DataOutputStream(segment);
        s.writeByte(state.kind.ordinal());
        s.writeBoolean(namespaced);
        s.writeBoolean(state.ttl != null);
        s.writeInt(count);
        body.writeTo(segment);
        return segment.toByteArray();
    }

    private void writeKeyAndNamespace(Object entryKey, TypeSerializer<Object> namespaceSerializer, DataOutputStream out)
            throws IOException {
        if (entryKey instanceof NamespacedKey nk) {
            keySerializer.serialize(nk.key(), out);
            namespaceSerializer.serialize(nk.namespace(), out);
        } else {
            keySerializer.serialize(entryKey, out);
            if (namespaceSerializer != null) {
                throw new IOException("an entry of a namespaced state has no namespace");
            }
        }
    }

    private void writeTimers(CapturedTimers t, Map<Integer, Block> blocks) throws IOException {
        Map<Integer, byte[]> segments = io.sluice.runtime.state.TimerSnapshots.byKeyGroup(t.timers().name(), t.eventTime(),
                t.processingTime(), keySerializer, t.timers().namespaceSerializer(), this::keyGroup);
        for (Map.Entry<Integer, byte[]> e : segments.entrySet()) {
            blocks.computeIfAbsent(e.getKey(), k -> new Block()).segment(SnapshotFormat.TIMERS, t.timers().name(), e.getValue());
        }
    }

    private int keyGroup(Object key) {
        int kg = KeyGroups.keyGroupOf(key, maxParallelism);
        if (!range.contains(kg)) {
            throw new IllegalStateException("timer key " + key + " is outside this backend's key groups");
        }
        return kg;
    }
}
