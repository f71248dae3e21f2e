package io.sluice.state.rocksdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.TypeSerializer;
import io.sluice.api.types.Types;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyGroups;
import io.sluice.runtime.state.KeyedStateBackend;
import io.sluice.runtime.state.KeyedStateBackendContractTest;
import io.sluice.runtime.state.KeyedStateSnapshot;
import io.sluice.runtime.state.SnapshotKind;
import io.sluice.runtime.state.VoidNamespace;
import io.sluice.runtime.state.heap.HeapKeyedStateBackend;
import io.sluice.runtime.timer.TimerQueue;
import io.sluice.runtime.state.TimerSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots in this backend's formats from before the canonical one still restore: full-snapshot blocks
 * ({@link SnapshotFormat}) and version 1 of the incremental description ({@link FilesMeta}), which recorded no
 * serializers. Old-format timers of a service not registered since are passed on by checkpoints (which the heap
 * backend reads too) and refused by savepoints.
 */
class OlderRocksDbSnapshotTest {
    private static final int MAX_P = 8;
    private static final int KEY = 1_000;
    private static final int KEY_GROUP = KeyGroups.keyGroupOf(KEY, MAX_P);
    private static final KeyGroupRange ALL = new KeyGroupRange(0, MAX_P);

    @TempDir
    Path tmp;

    private final KeyedStateBackendContractTest.CheckpointFiles files = new KeyedStateBackendContractTest.CheckpointFiles();
    private final List<KeyedStateBackend> open = new java.util.ArrayList<>();

    @AfterEach
    void close() {
        open.forEach(KeyedStateBackend::close);
    }

    /** A full-snapshot block as this backend wrote it before: value state 'count' of KEY = 7, an event-time timer at 10. */
    @SuppressWarnings("unchecked")
    private static KeyedStateSnapshot olderSnapshot() throws IOException {
        ByteArrayOutputStream state = new ByteArrayOutputStream();
        DataOutputStream s = new DataOutputStream(state);
        s.writeByte(StateKind.VALUE.ordinal());
        s.writeBoolean(false);
        s.writeBoolean(false);
        s.writeInt(1);
        s.writeInt(4); // the RocksDB key without its key-group prefix: the serialized key
        s.writeInt(KEY);
        s.writeInt(8);
        s.writeLong(7L);
        byte[] timers = TimerSnapshots.byKeyGroup("user-timers", List.of(new TimerQueue.Timer(10, KEY, VoidNamespace.INSTANCE)),
                List.of(), (TypeSerializer<Object>) (TypeSerializer<?>) Types.INT, null, k -> KEY_GROUP).get(KEY_GROUP);
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        DataOutputStream b = new DataOutputStream(block);
        b.writeInt(2);
        for (Object[] segment : List.of(new Object[] {SnapshotFormat.STATE, "count", state.toByteArray()},
                new Object[] {SnapshotFormat.TIMERS, "user-timers", timers})) {
            b.writeByte((byte) segment[0]);
            b.writeUTF((String) segment[1]);
            b.writeInt(((byte[]) segment[2]).length);
            b.write((byte[]) segment[2]);
        }
        return new KeyedStateSnapshot(Map.of(KEY_GROUP, block.toByteArray()));
    }

    private KeyedStateBackend rocksDb(KeyedStateSnapshot snapshot) throws Exception {
        KeyedStateBackend b = new RocksDbKeyedStateBackend(ALL, MAX_P, Types.INT, () -> 0L, tmp,
                RocksDbOptions.defaults().withIncremental(false));
        open.add(b);
        b.restore(files.readable(List.of(snapshot)));
        return b;
    }

    private static void assertState(KeyedStateBackend b, String where) {
        b.setCurrentKey(KEY);
        assertEquals(7L, b.getState(new ValueStateDescriptor<>("count", Types.LONG)).value(), where);
        assertEquals(10L, b.timerQueues("user-timers", null).eventTime().peek().time(), where);
    }

    @Test
    void anOlderFullSnapshotBlockRestores() throws Exception {
        assertState(rocksDb(olderSnapshot()), "restored from the older format");
    }

    @Test
    void unregisteredOlderTimersGoThroughCheckpointsToEitherBackendButNotIntoSavepoints() throws Exception {
        KeyedStateBackend untouched = rocksDb(olderSnapshot());
        untouched.setCurrentKey(KEY);
        untouched.getState(new ValueStateDescriptor<>("count", Types.LONG)); // the state, not the timers
        KeyedStateSnapshot checkpoint = untouched.snapshot(SnapshotKind.CHECKPOINT).write(files.nextCheckpoint());
        assertState(rocksDb(checkpoint), "RocksDB restored through a checkpoint of a backend that never registered the timers");
        HeapKeyedStateBackend heap = new HeapKeyedStateBackend(ALL, MAX_P, Types.INT, () -> 0L);
        heap.restore(List.of(checkpoint));
        assertState(heap, "the heap backend restored through the same checkpoint");
        IOException refused = assertThrows(IOException.class,
                () -> untouched.snapshot(SnapshotKind.SAVEPOINT).write(files.nextCheckpoint()));
        assertTrue(refused.getMessage().contains("a savepoint cannot hold timer service 'user-timers'"), refused.getMessage());
        assertState(untouched, "registered after the refused savepoint");
        KeyedStateSnapshot savepoint = untouched.snapshot(SnapshotKind.SAVEPOINT).write(files.nextCheckpoint());
        assertState(rocksDb(savepoint), "once registered, the timers go into savepoints");
    }

    @Test
    void anIncrementalDescriptionOfVersionOneReadsWithSerializersUnknown() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(1); // version 1
        out.writeLong(123L);
        out.writeInt(1);
        out.writeUTF("count");
        out.writeByte(StateKind.VALUE.ordinal());
        out.writeBoolean(false);
        out.writeBoolean(true);
        out.writeInt(1);
        out.writeUTF("user-timers");
        out.writeBoolean(false);
        out.writeInt(0);
        FilesMeta meta = FilesMeta.decode(bytes.toByteArray());
        assertEquals(List.of(new FilesMeta.State("count", StateKind.VALUE, false, true, List.of())), meta.states());
        assertEquals(List.of(new FilesMeta.Timers("user-timers", false, List.of())), meta.timers());
        assertEquals(123L, meta.snapshotTime());
        FilesMeta again = FilesMeta.decode(meta.encode());
        assertEquals(meta.states(), again.states(), "version 2 round trip");
        assertEquals(meta.timers(), again.timers(), "version 2 round trip");
    }
}
