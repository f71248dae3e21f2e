package io.sluice.state.rocksdb;

import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyedStateBackend.PendingSnapshot;
import io.sluice.runtime.state.KeyedStateSnapshot;
import io.sluice.runtime.state.SnapshotFileWriter;
import io.sluice.runtime.state.SnapshotKind;
import io.sluice.runtime.state.snapshot.CanonicalFormat;
import io.sluice.runtime.state.snapshot.CanonicalSnapshotWriter;
import io.sluice.runtime.state.snapshot.StateHeader;
import io.sluice.runtime.state.snapshot.TimersHeader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;

/**
 * A full snapshot in the canonical format ({@link CanonicalFormat}): the synchronous part takes a RocksDB snapshot
 * and each column's header (what it is, and its serializers); {@link #write} (any thread) reads that snapshot key
 * group by key group, each state's and timer service's entries of the group with one seek per column, and hands the
 * stored bytes on as they are (a RocksDB key without its key-group prefix is the canonical entry key, a stored value
 * the canonical value), leaving out expired TTL units. A checkpoint's blocks are kept in memory; a savepoint is
 * streamed into a file.
 */
final class RocksSnapshotWriter implements PendingSnapshot {
    record CapturedColumn(StateColumn column, StateHeader header) {}

    record CapturedTimers(TimerColumn column, TimersHeader header) {}

    /** Timers in the format before the canonical one, of a service not registered since its restore. */
    record RawSegment(int keyGroup, byte[] bytes) {}

    private final RocksDbKeyedStateBackend backend;
    private final SnapshotKind kind;
    private final Snapshot snapshot;
    private final List<CapturedColumn> columns;
    private final List<CapturedTimers> timers;
    private final Map<String, List<RawSegment>> rawTimers;
    private final long now;
    private boolean written;

    RocksSnapshotWriter(RocksDbKeyedStateBackend backend, SnapshotKind kind, Snapshot snapshot, List<CapturedColumn> columns,
            List<CapturedTimers> timers, Map<String, List<RawSegment>> rawTimers, long now) {
        this.backend = backend;
        this.kind = kind;
        this.snapshot = snapshot;
        this.columns = columns;
        this.timers = timers;
        this.rawTimers = rawTimers;
        this.now = now;
    }

    Snapshot rocksSnapshot() {
        return snapshot;
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
    public KeyedStateSnapshot write(SnapshotFileWriter files) throws IOException {
        synchronized (this) {
            if (written) {
                throw new IllegalStateException("a snapshot is written once");
            }
            written = true;
        }
        KeyedStateSnapshot[] result = new KeyedStateSnapshot[1];
        backend.runWithOpenDb(snapshot, () -> {
            try (ReadOptions read = new ReadOptions().setSnapshot(snapshot).setFillCache(false);
                    CanonicalSnapshotWriter out = CanonicalSnapshotWriter.open(kind, backend.keyGroupRange(), files)) {
                List<RocksIterator> iterators = new ArrayList<>(); // one per state column, then one per timer column
                try {
                    for (CapturedColumn c : columns) {
                        iterators.add(backend.newIterator(c.column().handle, read));
                    }
                    for (CapturedTimers t : timers) {
                        iterators.add(backend.newIterator(t.column().handle, read));
                    }
                    writeKeyGroups(iterators, out);
                } finally {
                    iterators.forEach(RocksIterator::close); // before the read options they were made with
                }
                result[0] = out.finish();
            }
        });
        return result[0];
    }

    /** Every key group of the range, in order: its states' sections, its timers' sections, old-format timers. */
    private void writeKeyGroups(List<RocksIterator> iterators, CanonicalSnapshotWriter out) throws IOException {
        KeyGroupRange range = backend.keyGroupRange();
        for (int keyGroup = range.first(); keyGroup < range.end(); keyGroup++) {
            out.startKeyGroup(keyGroup);
            for (int i = 0; i < columns.size(); i++) {
                writeState(columns.get(i), iterators.get(i), keyGroup, out);
            }
            for (int i = 0; i < timers.size(); i++) {
                writeTimers(timers.get(i).header(), iterators.get(columns.size() + i), keyGroup, out);
            }
            for (Map.Entry<String, List<RawSegment>> e : rawTimers.entrySet()) {
                for (RawSegment s : e.getValue()) {
                    if (s.keyGroup() == keyGroup) {
                        out.legacySection(CanonicalFormat.LEGACY_TIMERS, e.getKey(), s.bytes());
                    }
                }
            }
        }
    }

    /** The live entries of one state in one key group, as that state's section (none if nothing is live). */
    private void writeState(CapturedColumn c, RocksIterator it, int keyGroup, CanonicalSnapshotWriter out) throws IOException {
        boolean started = false;
        for (it.seek(keyGroupPrefix(keyGroup)); it.isValid(); it.next()) {
            byte[] key = it.key();
            if (Bytes.keyGroupOf(key) != keyGroup) {
                break;
            }
            byte[] value = c.column().kind.liveAt(it.value(), c.header().ttl(), now);
            if (value == null) {
                continue;
            }
            if (!started) {
                out.startState(c.header());
                started = true;
            }
            out.entry(key, 2, key.length - 2, value, 0, value.length);
        }
        backend.check(it);
    }

    /** One key group's timers of a service, both domains, as its section. */
    private void writeTimers(TimersHeader header, RocksIterator it, int keyGroup, CanonicalSnapshotWriter out)
            throws IOException {
        boolean started = false;
        for (it.seek(keyGroupPrefix(keyGroup)); it.isValid(); it.next()) {
            byte[] key = it.key();
            if (Bytes.keyGroupOf(key) != keyGroup) {
                break;
            }
            if (!started) {
                out.startTimers(header);
                started = true;
            }
            out.timer(key[2], TimerColumn.time(key), key, TimerColumn.KEY_OFFSET, key.length - TimerColumn.KEY_OFFSET);
        }
        backend.check(it);
    }

    static byte[] keyGroupPrefix(int keyGroup) {
        return new byte[] {(byte) (keyGroup >>> 8), (byte) keyGroup};
    }
}
