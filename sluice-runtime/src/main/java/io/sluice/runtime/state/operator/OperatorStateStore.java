package io.sluice.runtime.state.operator;

import io.sluice.api.state.ListState;
import io.sluice.api.state.ListStateDescriptor;
import io.sluice.api.state.MapState;
import io.sluice.api.state.MapStateDescriptor;
import io.sluice.api.types.TypeSerializer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Operator (non-keyed) state of one subtask: list state split on rescale, union list state replicated, and broadcast
 * state. Snapshots serialize on the calling thread: operator state is small by design (offsets, buffers, rules).
 * A restore loads this subtask's share, redistributed before; restored elements wait, as bytes, until the operator
 * asks for the state by name.
 */
public final class OperatorStateStore {
    private final Map<String, Registered> states = new LinkedHashMap<>();
    /** This store's subtask, known after a restore (0 before: a fresh job). */
    private int subtask;
    private final Map<String, List<byte[]>> restored = new LinkedHashMap<>();
    private final Map<String, OperatorStateSnapshot.Mode> restoredModes = new LinkedHashMap<>();

    private record Registered(OperatorStateSnapshot.Mode mode, Object descriptor, Object state) {}

    public <T> ListState<T> listState(ListStateDescriptor<T> descriptor) {
        return list(descriptor, OperatorStateSnapshot.Mode.SPLIT);
    }

    public <T> ListState<T> unionListState(ListStateDescriptor<T> descriptor) {
        return list(descriptor, OperatorStateSnapshot.Mode.UNION);
    }

    @SuppressWarnings("unchecked")
    private <T> ListState<T> list(ListStateDescriptor<T> descriptor, OperatorStateSnapshot.Mode mode) {
        Registered r = register(descriptor.name(), mode, descriptor);
        if (r.state != null) {
            return (ListState<T>) r.state;
        }
        OperatorListState<T> state = new OperatorListState<>();
        for (byte[] bytes : takeRestored(descriptor.name(), mode)) {
            state.add(decode(descriptor.elementSerializer(), bytes));
        }
        states.put(descriptor.name(), new Registered(mode, descriptor, state));
        return state;
    }

    @SuppressWarnings("unchecked")
    public <K, V> MapState<K, V> broadcastState(MapStateDescriptor<K, V> descriptor) {
        Registered r = register(descriptor.name(), OperatorStateSnapshot.Mode.BROADCAST, descriptor);
        if (r.state != null) {
            return (MapState<K, V>) r.state;
        }
        BroadcastMapState<K, V> state = new BroadcastMapState<>();
        for (byte[] bytes : takeRestored(descriptor.name(), OperatorStateSnapshot.Mode.BROADCAST)) {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            try {
                state.put(descriptor.keySerializer().deserialize(in), descriptor.valueSerializer().deserialize(in));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot restore broadcast state '" + descriptor.name() + "'", e);
            }
        }
        states.put(descriptor.name(), new Registered(OperatorStateSnapshot.Mode.BROADCAST, descriptor, state));
        return state;
    }

    private Registered register(String name, OperatorStateSnapshot.Mode mode, Object descriptor) {
        Registered r = states.get(name);
        if (r != null && r.mode != mode) {
            throw new IllegalStateException("operator state '" + name + "' is already registered as " + r.mode + ", not " + mode);
        }
        return r != null ? r : new Registered(mode, descriptor, null);
    }

    private List<byte[]> takeRestored(String name, OperatorStateSnapshot.Mode mode) {
        OperatorStateSnapshot.Mode was = restoredModes.remove(name);
        if (was != null && was != mode) {
            throw new IllegalStateException("operator state '" + name + "' was snapshotted as " + was + ", not " + mode);
        }
        List<byte[]> bytes = restored.remove(name);
        return bytes != null ? bytes : List.of();
    }

    /**
     * Loads the operator state this subtask restores, already redistributed over the new subtasks (by the checkpoint
     * package's {@code OperatorStateRedistribution}): it is taken as it is. Union state arrives whole in every subtask.
     *
     * @param assigned this subtask's share of the old subtasks' operator state
     * @param subtask  this subtask's index: only subtask 0 passes unclaimed union state on to later snapshots
     */
    public void restore(OperatorStateSnapshot assigned, int subtask) {
        this.subtask = subtask;
        for (Map.Entry<String, OperatorStateSnapshot.Entry> e : assigned.states().entrySet()) {
            restoredModes.put(e.getKey(), e.getValue().mode());
            restored.put(e.getKey(), new ArrayList<>(e.getValue().elements()));
        }
    }

    /** Serializes every state, plus restored bytes never claimed (so nothing is dropped silently). */
    @SuppressWarnings("unchecked")
    public OperatorStateSnapshot snapshot() {
        Map<String, OperatorStateSnapshot.Entry> out = new LinkedHashMap<>();
        for (Map.Entry<String, Registered> e : states.entrySet()) {
            Registered r = e.getValue();
            List<byte[]> elements = new ArrayList<>();
            if (r.descriptor instanceof ListStateDescriptor<?> d) {
                TypeSerializer<Object> s = (TypeSerializer<Object>) d.elementSerializer();
                for (Object v : ((OperatorListState<Object>) r.state).get()) {
                    elements.add(encode(s, null, v, null));
                }
            } else {
                MapStateDescriptor<Object, Object> d = (MapStateDescriptor<Object, Object>) r.descriptor;
                for (Map.Entry<Object, Object> entry : ((BroadcastMapState<Object, Object>) r.state).entries()) {
                    elements.add(encode(d.keySerializer(), entry.getKey(), entry.getValue(), d.valueSerializer()));
                }
            }
            out.put(e.getKey(), new OperatorStateSnapshot.Entry(r.mode, elements));
        }
        for (Map.Entry<String, List<byte[]>> e : restored.entrySet()) {
            OperatorStateSnapshot.Mode mode = restoredModes.getOrDefault(e.getKey(), OperatorStateSnapshot.Mode.SPLIT);
            if (mode == OperatorStateSnapshot.Mode.UNION && subtask != 0) {
                continue; // every subtask holds all of it: one copy passes it on, or the next restore would multiply it
            }
            out.put(e.getKey(), new OperatorStateSnapshot.Entry(mode, e.getValue()));
        }
        return new OperatorStateSnapshot(out);
    }

    /** Writes {@code first} with {@code a} (or {@code first} alone if {@code a} is null), then {@code second} with {@code b}. */
    private static byte[] encode(TypeSerializer<Object> a, Object first, Object second, TypeSerializer<Object> b) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            if (b == null) {
                a.serialize(second, out);
            } else {
                a.serialize(first, out);
                b.serialize(second, out);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T decode(TypeSerializer<T> serializer, byte[] bytes) {
        try {
            return serializer.deserialize(new DataInputStream(new ByteArrayInputStream(bytes)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
