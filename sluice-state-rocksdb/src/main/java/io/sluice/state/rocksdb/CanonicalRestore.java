package io.sluice.state.rocksdb;

import io.sluice.runtime.state.snapshot.CanonicalFormat;
import io.sluice.runtime.state.snapshot.CanonicalSnapshotReader;
import io.sluice.runtime.state.snapshot.SectionEntries;
import io.sluice.runtime.state.snapshot.StateHeader;
import io.sluice.runtime.state.snapshot.TimersHeader;
import io.sluice.runtime.state.TimerSnapshots;
import java.io.IOException;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Writes restored canonical sections ({@link CanonicalFormat}) into a backend's column families, without their
 * serializers: an entry's key behind its key-group prefix is the RocksDB key, its value the stored value; a timer
 * becomes its timer column's key. Each column is created as the section header describes it (serializers included,
 * checked when the operator registers the state). Writes go in batches well below a memtable. Old-format timers are
 * kept for their service's registration; old heap-format state cannot be read here and fails, naming the state.
 * Task thread, before any state is used.
 */
final class CanonicalRestore implements CanonicalSnapshotReader.Visitor, AutoCloseable {
    private static final int BATCH_BYTES = 4 << 20;

    private final RocksDbKeyedStateBackend backend;
    private final WriteBatch batch = new WriteBatch();

    CanonicalRestore(RocksDbKeyedStateBackend backend) {
        this.backend = backend;
    }

    @Override
    public void state(int keyGroup, StateHeader header, SectionEntries entries) throws IOException {
        StateColumn column = backend.columns().stateFor(new FilesMeta.State(header.name(),
                StateKind.valueOf(header.kind()), header.namespaced(), header.ttl(), header.serializers()));
        byte[] prefix = RocksSnapshotWriter.keyGroupPrefix(keyGroup);
        while (entries.next()) {
            put(column.handle, Bytes.concat(prefix, entries.key()), entries.value());
        }
    }

    @Override
    public void timers(int keyGroup, TimersHeader header, SectionEntries entries) throws IOException {
        TimerColumn column = backend.columns().timersFor(new FilesMeta.Timers(header.name(), header.namespaced(),
                header.serializers()));
        while (entries.next()) {
            byte domain = entries.domain();
            if (domain != TimerSnapshots.EVENT_TIME && domain != TimerSnapshots.PROCESSING_TIME) {
                throw new IOException("timer service '" + header.name() + "': unknown time domain " + domain);
            }
            put(column.handle, TimerColumn.key(keyGroup, domain, entries.time(), entries.key()), Bytes.EMPTY);
        }
    }

    @Override
    public void legacy(int keyGroup, byte code, String name, byte[] bytes) throws IOException {
        if (code == CanonicalFormat.LEGACY_TIMERS) {
            backend.addRestoredTimers(name, new RocksSnapshotWriter.RawSegment(keyGroup, bytes));
            return;
        }
        throw new IOException("key group " + keyGroup + " holds state '" + name + "' in the heap backend's format from "
                + "before the canonical one (passed on by heap checkpoints, its operator never having used it since): "
                + "only the heap backend reads it. Restore with --state-backend heap, and take a savepoint once the "
                + "job has used the state");
    }

    /** Writes what is still batched. */
    void finish() throws IOException {
        flush();
    }

    @Override
    public void close() {
        batch.close();
    }

    private void put(org.rocksdb.ColumnFamilyHandle column, byte[] key, byte[] value) throws IOException {
        try {
            batch.put(column, key, value);
        } catch (RocksDBException e) {
            throw new IOException("cannot restore: " + e.getMessage(), e);
        }
        if (batch.getDataSize() > BATCH_BYTES) {
            flush();
        }
    }

    private void flush() throws IOException {
        try {
            backend.write(batch);
            batch.clear();
        } catch (RocksDBException e) {
            throw new IOException("cannot restore: " + e.getMessage(), e);
        }
    }
}
