package io.sluice.state.rocksdb;

import io.sluice.api.types.TypeSerializer;
import io.sluice.runtime.state.KeyGroups;
import io.sluice.runtime.state.KeyedStateBackend.PendingSnapshot;
import io.sluice.runtime.state.KeyedStateSnapshot;
import io.sluice.runtime.state.VoidNamespace;
import io.sluice.runtime.timer.TimerQueue;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;

/**
 * A full snapshot: the synchronous part takes a RocksDB snapshot and copies the timer queues; {@link #write()} (any
 * thread) iterates each state's column family at that snapshot and writes one block per key group
 * ({@link SnapshotFormat}), leaving out expired TTL units.
 */
final class RocksSnapshotWriter implements PendingSnapshot {
    record CapturedColumn(StateColumn column, boolean ttl) {}

    record CapturedTimers(String name, TypeSerializer<Object> namespaceSerializer, List<TimerQueue.Timer> eventTime,
            List<TimerQueue.Timer> processingTime) {}

    record RawSegment(int keyGroup, byte[] bytes) {}

    private final RocksDbKeyedStateBackend backend;
    private final Snapshot snapshot;
    private final List<CapturedColumn> columns;
    private final List<CapturedTimers> timers;
    private final Map<String, List<RawSegment>> rawTimers;
    private final long now;
    private boolean written;

    RocksSnapshotWriter(RocksDbKeyedStateBackend backend, Snapshot snapshot, List<CapturedColumn> columns,
            List<CapturedTimers> timers, Map<String, List<RawSegment>> rawTimers, long now) {
        this.backend = backend;
        this.snapshot = snapshot;
        this.columns = columns;
        this.timers = timers;
        this.rawTimers = rawTimers;
        this.now = now;
    }

    Snapshot rocksSnapshot() {
        return snapshot;
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
            new DataOutputStream(all).writeInt(segments);
            bytes.writeTo(all);
            return all.toByteArray();
        }
    }

    @Override
    public KeyedStateSnapshot write() throws IOException {
        synchronized (this) {
            if (written) {
                throw new IllegalStateException("a snapshot is written once");
            }
            written = true;
        }
        Map<Integer, Block> blocks = new HashMap<>();
        backend.runWithOpenDb(snapshot, () -> {
            try (ReadOptions read = new ReadOptions().setSnapshot(snapshot).setFillCache(false)) {
                for (CapturedColumn c : columns) {
                    writeColumn(c, read, blocks);
                }
            }
        });
        for (CapturedTimers t : timers) {
            writeTimers(t, blocks);
        }
        for (Map.Entry<String, List<RawSegment>> e : rawTimers.entrySet()) {
            for (RawSegment s : e.getValue()) {
                blocks.computeIfAbsent(s.keyGroup(), k -> new Block()).segment(SnapshotFormat.TIMERS, e.getKey(), s.bytes());
            }
        }
        Map<Integer, byte[]> result = new HashMap<>();
        for (Map.Entry<Integer, Block> e : blocks.entrySet()) {
            result.put(e.getKey(), e.getValue().finish());
        }
        return new KeyedStateSnapshot(result);
    }

    private void writeColumn(CapturedColumn c, ReadOptions read, Map<Integer, Block> blocks) throws IOException {
        StateColumn column = c.column();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(body);
        int keyGroup = -1;
        int count = 0;
        try (RocksIterator it = backend.newIterator(column.handle, read)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] key = it.key();
                int kg = Bytes.keyGroupOf(key);
                if (kg != keyGroup) {
                    flush(c, keyGroup, count, body, blocks);
                    keyGroup = kg;
                    count = 0;
                }
                byte[] value = column.kind.liveAt(it.value(), c.ttl(), now);
                if (value == null) {
                    continue;
                }
                out.writeInt(key.length - 2);
                out.write(key, 2, key.length - 2);
                out.writeInt(value.length);
                out.write(value);
                count++;
            }
            backend.check(it);
        }
        flush(c, keyGroup, count, body, blocks);
    }

    private static void flush(CapturedColumn c, int keyGroup, int count, ByteArrayOutputStream body, Map<Integer, Block> blocks)
            throws IOException {
        if (count > 0) {
            ByteArrayOutputStream segment = new ByteArrayOutputStream(body.size() + 8);
            DataOutputStream s = new DataOutputStream(segment);
            s.writeByte(c.column().kind.ordinal());
            s.writeBoolean(c.column().namespaced);
            s.writeBoolean(c.ttl());
            s.writeInt(count);
            body.writeTo(segment);
            blocks.computeIfAbsent(keyGroup, k -> new Block()).segment(SnapshotFormat.STATE, c.column().name, segment.toByteArray());
        }
        body.reset();
    }

    private void writeTimers(CapturedTimers t, Map<Integer, Block> blocks) throws IOException {
        Map<Integer, byte[]> segments = io.sluice.runtime.timer.TimerSnapshots.byKeyGroup(t.name(), t.eventTime(),
                t.processingTime(), backend.keySerializer(), t.namespaceSerializer(), this::keyGroup);
        for (Map.Entry<Integer, byte[]> e : segments.entrySet()) {
            blocks.computeIfAbsent(e.getKey(), k -> new Block()).segment(SnapshotFormat.TIMERS, t.name(), e.getValue());
        }
    }

    private int keyGroup(Object key) {
        int kg = KeyGroups.keyGroupOf(key, backend.maxParallelism());
        if (!backend.keyGroupRange().contains(kg)) {
            throw new IllegalStateException("timer key " + key + " is outside this backend's key groups");
        }
        return kg;
    }
}
