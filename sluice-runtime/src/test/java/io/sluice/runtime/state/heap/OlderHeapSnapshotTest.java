package io.sluice.runtime.state.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.Types;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyGroups;
import io.sluice.runtime.state.KeyedStateBackendContractTest;
import io.sluice.runtime.state.KeyedStateSnapshot;
import io.sluice.runtime.state.SnapshotKind;
import io.sluice.runtime.state.VoidNamespace;
import io.sluice.runtime.timer.TimerQueue;
import io.sluice.runtime.state.TimerSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Snapshots in the heap backend's block format from before the canonical one ({@link SnapshotFormat}) still restore;
 * state of them the operator has not registered since is passed on by checkpoints (as legacy sections) and refused by
 * savepoints, which hold only what any backend can check and read.
 */
class OlderHeapSnapshotTest {
    private static final int MAX_P = 8;
    private static final int KEY = 1_000;
    private static final int KEY_GROUP = KeyGroups.keyGroupOf(KEY, MAX_P);
    private static final KeyGroupRange ALL = new KeyGroupRange(0, MAX_P);

    /** A block as the heap backend wrote it before: value state 'count' of KEY = 7, one event-time timer at 10. */
    private static KeyedStateSnapshot olderSnapshot() throws IOException {
        ByteArrayOutputStream state = new ByteArrayOutputStream();
        DataOutputStream s = new DataOutputStream(state);
        s.writeByte(StateKind.VALUE.ordinal());
        s.writeBoolean(false); // not namespaced
        s.writeBoolean(false); // no TTL
        s.writeInt(1);
        s.writeInt(KEY);
        s.writeLong(7L);
        byte[] timers = TimerSnapshots.byKeyGroup("user-timers", List.of(new TimerQueue.Timer(10, KEY, VoidNamespace.INSTANCE)),
                List.of(), cast(Types.INT), null, k -> KEY_GROUP).get(KEY_GROUP);
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        DataOutputStream b = new DataOutputStream(block);
        b.writeInt(2);
        segment(b, SnapshotFormat.STATE, "count", state.toByteArray());
        segment(b, SnapshotFormat.TIMERS, "user-timers", timers);
        return new KeyedStateSnapshot(Map.of(KEY_GROUP, block.toByteArray()));
    }

    private static void segment(DataOutputStream out, byte type, String name, byte[] content) throws IOException {
        out.writeByte(type);
        out.writeUTF(name);
        out.writeInt(content.length);
        out.write(content);
    }

    @SuppressWarnings("unchecked")
    private static <T> io.sluice.api.types.TypeSerializer<Object> cast(io.sluice.api.types.TypeSerializer<T> s) {
        return (io.sluice.api.types.TypeSerializer<Object>) s;
    }

    private static HeapKeyedStateBackend restored(KeyedStateSnapshot snapshot) throws IOException {
        HeapKeyedStateBackend b = new HeapKeyedStateBackend(ALL, MAX_P, Types.INT, () -> 0L);
        b.restore(List.of(snapshot));
        return b;
    }

    private static void assertState(HeapKeyedStateBackend b, String where) {
        b.setCurrentKey(KEY);
        assertEquals(7L, b.getState(new ValueStateDescriptor<>("count", Types.LONG)).value(), where);
        assertEquals(10L, b.timerQueues("user-timers", null).eventTime().peek().time(), where);
    }

    @Test
    void anOlderBlockRestores() throws IOException {
        assertState(restored(olderSnapshot()), "restored from the older format");
    }

    @Test
    void unregisteredOlderStateGoesThroughCheckpointsButNotIntoSavepoints() throws IOException {
        HeapKeyedStateBackend untouched = restored(olderSnapshot());
        KeyedStateSnapshot checkpoint = untouched.snapshot(SnapshotKind.CHECKPOINT).write();
        assertState(restored(checkpoint), "restored through a checkpoint of a backend that never registered it");
        KeyedStateBackendContractTest.CheckpointFiles files = new KeyedStateBackendContractTest.CheckpointFiles();
        IOException refused = assertThrows(IOException.class,
                () -> untouched.snapshot(SnapshotKind.SAVEPOINT).write(files.nextCheckpoint()));
        assertTrue(refused.getMessage().contains("a savepoint cannot hold state 'count'"), refused.getMessage());
        assertState(untouched, "registered after the refused savepoint");
        KeyedStateSnapshot savepoint = untouched.snapshot(SnapshotKind.SAVEPOINT).write(files.nextCheckpoint());
        assertState(restored(files.readable(List.of(savepoint)).getFirst()), "once registered, the state goes into savepoints");
    }
}
