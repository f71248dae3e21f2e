package io.sluice.runtime.state.heap;

import io.sluice.api.types.TypeSerializer;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyGroups;
import io.sluice.runtime.state.VoidNamespace;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Restored bytes not yet claimed: per state (and timer service) name, its segments per key group. A state's
 * segments are decoded when the operator registers the state; what is never claimed goes into the next snapshot
 * unchanged.
 */
final class RestoredBytes {
    record Segment(int keyGroup, byte[] bytes) {}

    private final Map<String, List<Segment>> states = new LinkedHashMap<>();
    private final Map<String, List<Segment>> timers = new LinkedHashMap<>();

    void addBlock(int keyGroup, byte[] block) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(block));
        int segments = in.readInt();
        for (int i = 0; i < segments; i++) {
            byte type = in.readByte();
            String name = in.readUTF();
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            Map<String, List<Segment>> target = type == SnapshotFormat.STATE ? states : timers;
            target.computeIfAbsent(name, n -> new ArrayList<>()).add(new Segment(keyGroup, bytes));
        }
    }

    Map<String, List<Segment>> unclaimedStates() {
        return states;
    }

    Map<String, List<Segment>> unclaimedTimers() {
        return timers;
    }

    /** Moves the restored entries of {@code r}'s name into its tables. */
    void decodeState(RegisteredState r, TypeSerializer<Object> keySerializer, KeyGroupRange range, long now) throws IOException {
        List<Segment> segments = states.remove(r.name);
        if (segments == null) {
            return;
        }
        for (Segment s : segments) {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(s.bytes()));
            StateKind kind = StateKind.values()[in.readByte()];
            if (kind != r.kind) {
                throw new IOException("the snapshot holds '" + r.name + "' as " + kind + " state, the job asks for " + r.kind);
            }
            boolean namespaced = in.readBoolean();
            boolean ttl = in.readBoolean();
            int count = in.readInt();
            StateTable table = r.table(s.keyGroup() - range.first());
            for (int i = 0; i < count; i++) {
                Object key = keySerializer.deserialize(in);
                Object namespace = namespaced ? readNamespace(r.namespaceSerializer, r.name, in) : VoidNamespace.INSTANCE;
                Object stored = kind.read(r.descriptor, ttl, in);
                stored = TtlConversion.convert(stored, kind, ttl, r.ttl, now);
                int hash = KeyGroups.mixedHash(key);
                Object entryKey = namespace == VoidNamespace.INSTANCE ? key : new NamespacedKey(key, namespace);
                int entryHash = namespace == VoidNamespace.INSTANCE ? hash : hash * 31 + namespace.hashCode();
                int slot = table.find(entryKey, entryHash);
                if (slot >= 0) {
                    throw new IOException("state '" + r.name + "' holds key " + key + " twice");
                }
                table.insert(slot, entryKey, entryHash, stored);
            }
        }
    }

    /** Moves the restored timers of {@code t}'s name into its queues. */
    void decodeTimers(RegisteredTimers t, TypeSerializer<Object> keySerializer) throws IOException {
        List<Segment> segments = timers.remove(t.name());
        if (segments == null) {
            return;
        }
        for (Segment s : segments) {
            io.sluice.runtime.state.TimerSnapshots.addTo(t.queues(), s.bytes(), t.name(), keySerializer,
                    t.namespaceSerializer());
        }
    }

    private static Object readNamespace(TypeSerializer<Object> serializer, String name, DataInputStream in) throws IOException {
        if (serializer == null) {
            throw new IOException("'" + name + "' was snapshotted with namespaces (windows) but is now used without");
        }
        return serializer.deserialize(in);
    }
}
