package io.sluice.state.rocksdb;

import io.sluice.runtime.state.KeyedStateBackend.PendingSnapshot;
import io.sluice.runtime.state.KeyedStateSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;

/**
 * A full snapshot: the synchronous part takes a RocksDB snapshot; {@link #write} (any
 * thread) iterates each state's column family at that snapshot and writes one block per key group
 * ({@link SnapshotFormat}), leaving out expired TTL units.
 */
final class RocksSnapshotWriter implements PendingSnapshot {
    record CapturedColumn(StateColumn column, boolean ttl) {}


    record RawSegment(int keyGroup, byte[] bytes) {}

    private final RocksDbKeyedStateBackend backend;
    private final Snapshot snapshot;
    private final List<CapturedColumn> columns;
    private final List<TimerColumn> timers;
    private final Map<String, List<RawSegment>> rawTimers;
    private final long now;
    private boolean written;

    RocksSnapshotWriter(RocksDbKeyedStateBackend backend, Snapshot snapshot, List<CapturedColumn> columns,
            List<TimerColumn> timers, Map<String, List<RawSegment>> rawTimers, long now) {
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

    /**
     * Not to be written (its checkpoint was aborted): unpins the RocksDB snapshot now rather than when the backend
     * closes, so aborted checkpoints do not keep old versions of every key alive. After a write, does nothing.
     */
    @Override
    public void release() {
        synchronized (this) {
            if (written) {
                return;
            }
            written = true;
        }
        backend.releaseUnwritten(this);
    }

    @Override
    public KeyedStateSnapshot write(io.sluice.runtime.state.SnapshotFileWriter files) throws IOException {
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
                for (TimerColumn t : timers) {
                    writeTimers(t, read, blocks);
                }
            }
        });
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

    /**
     * One TIMERS segment per key group, in the same layout as the heap backend's timer segments: the bytes after a
     * timer key's time are the serialized key followed by the serialized namespace.
     */
    private void writeTimers(TimerColumn t, ReadOptions read, Map<Integer, Block> blocks) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(body);
        int keyGroup = -1;
        int count = 0;
        try (RocksIterator it = backend.newIterator(t.handle, read)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] key = it.key();
                int kg = Bytes.keyGroupOf(key);
                if (kg != keyGroup) {
                    flushTimers(t, keyGroup, count, body, blocks);
                    keyGroup = kg;
                    count = 0;
                }
                out.writeByte(key[2]);
                out.writeLong(TimerColumn.time(key));
                out.write(key, 11, key.length - 11);
                count++;
            }
            backend.check(it);
        }
        flushTimers(t, keyGroup, count, body, blocks);
    }

    private static void flushTimers(TimerColumn t, int keyGroup, int count, ByteArrayOutputStream body,
            Map<Integer, Block> blocks) throws IOException {
        if (count > 0) {
            ByteArrayOutputStream segment = new ByteArrayOutputStream(body.size() + 5);
            DataOutputStream s = new DataOutputStream(segment);
            s.writeBoolean(t.namespaced);
            s.writeInt(count);
            body.writeTo(segment);
            blocks.computeIfAbsent(keyGroup, k -> new Block()).segment(SnapshotFormat.TIMERS, t.service, segment.toByteArray());
        }
        body.reset();
    }
}
