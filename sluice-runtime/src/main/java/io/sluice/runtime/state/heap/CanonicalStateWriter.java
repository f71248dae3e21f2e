package io.sluice.runtime.state.heap;

import io.sluice.api.state.MapStateDescriptor;
import io.sluice.api.types.TypeSerializer;
import io.sluice.runtime.state.snapshot.CanonicalSnapshotWriter;
import io.sluice.runtime.timer.TimerQueue;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Writes heap state into the canonical format ({@link io.sluice.runtime.state.snapshot.CanonicalFormat}): one
 * captured table of a state in one key group as that state's section, one key group's timers of a service as its
 * timer section. Units that expired at the snapshot's time are left out; a section with nothing live is not written.
 * Serializes each entry into reused buffers. One per snapshot write; the writing thread only.
 */
final class CanonicalStateWriter {
    private final CanonicalSnapshotWriter out;
    private final TypeSerializer<Object> keySerializer;
    private final long now;
    private final Scratch key = new Scratch();
    private final Scratch value = new Scratch();
    private final Scratch unit = new Scratch();

    CanonicalStateWriter(CanonicalSnapshotWriter out, TypeSerializer<Object> keySerializer, long now) {
        this.out = out;
        this.keySerializer = keySerializer;
        this.now = now;
    }

    /** Writes the live entries of {@code state}'s table, as a snapshot captured them, as a section. */
    void state(RegisteredState state, StateTable.Snapshot entries) throws IOException {
        entries(state, entries, null, 0, entries.capacity(), false);
    }

    /**
     * Writes the live entries in some slots of a captured table of {@code state} into its section of the current key
     * group: {@code slots[from]} to {@code slots[to - 1]}, or slots {@code from} to {@code to - 1} if {@code slots} is
     * {@code null}. A section may take the entries of several tables: pass what the previous call returned as
     * {@code started} ({@code false} for the first).
     *
     * @return whether the section is started (it is, once it has an entry)
     */
    @SuppressWarnings("unchecked")
    boolean entries(RegisteredState state, StateTable.Snapshot entries, int[] slots, int from, int to, boolean started)
            throws IOException {
        TypeSerializer<Object> valueSerializer = StateKind.valueSerializer(state.descriptor);
        boolean ttl = state.ttl != null;
        for (int i = from; i < to; i++) {
            int slot = slots == null ? i : slots[i];
            Object entryKey = entries.keyAt(slot);
            if (entryKey == null) {
                continue;
            }
            key.reset();
            writeKeyAndNamespace(entryKey, state.namespaceSerializer);
            Object stored = entries.valueAt(slot);
            switch (state.kind) {
                case VALUE, REDUCING, AGGREGATING -> {
                    value.reset();
                    if (writeUnit(stored, valueSerializer, ttl, value)) {
                        started = start(state, started);
                        out.entry(key.bytes(), 0, key.size(), value.bytes(), 0, value.size());
                    }
                }
                case LIST -> {
                    value.reset();
                    for (Object element : (List<Object>) stored) {
                        if (ttl && ((TtlValue) element).expired(now)) {
                            continue;
                        }
                        if (ttl) {
                            value.data.writeLong(((TtlValue) element).expiresAt());
                        }
                        unit.reset();
                        valueSerializer.serialize(ttl ? ((TtlValue) element).value() : element, unit.data);
                        value.data.writeInt(unit.size());
                        value.write(unit.bytes(), 0, unit.size());
                    }
                    if (value.size() > 0) {
                        started = start(state, started);
                        out.entry(key.bytes(), 0, key.size(), value.bytes(), 0, value.size());
                    }
                }
                case MAP -> {
                    TypeSerializer<Object> mapKeys = (TypeSerializer<Object>) ((MapStateDescriptor<?, ?>) state.descriptor).keySerializer();
                    int prefix = key.size();
                    for (Map.Entry<Object, Object> e : ((Map<Object, Object>) stored).entrySet()) {
                        value.reset();
                        if (!writeUnit(e.getValue(), valueSerializer, ttl, value)) {
                            continue;
                        }
                        key.truncate(prefix);
                        mapKeys.serialize(e.getKey(), key.data);
                        started = start(state, started);
                        out.entry(key.bytes(), 0, key.size(), value.bytes(), 0, value.size());
                    }
                }
            }
        }
        return started;
    }

    /** Writes one key group's timers of a service (both domains) as a section, if there are any. */
    void timers(RegisteredTimers timers, List<TimerQueue.Timer> eventTime, List<TimerQueue.Timer> processingTime)
            throws IOException {
        if (eventTime.isEmpty() && processingTime.isEmpty()) {
            return;
        }
        out.startTimers(timers.header());
        writeTimers(io.sluice.runtime.state.TimerSnapshots.EVENT_TIME, eventTime, timers.namespaceSerializer());
        writeTimers(io.sluice.runtime.state.TimerSnapshots.PROCESSING_TIME, processingTime, timers.namespaceSerializer());
    }

    private void writeTimers(byte domain, List<TimerQueue.Timer> list, TypeSerializer<Object> namespaceSerializer)
            throws IOException {
        for (TimerQueue.Timer t : list) {
            key.reset();
            keySerializer.serialize(t.key(), key.data);
            if (namespaceSerializer != null) {
                namespaceSerializer.serialize(t.namespace(), key.data);
            }
            out.timer(domain, t.time(), key.bytes(), 0, key.size());
        }
    }

    private boolean start(RegisteredState state, boolean started) throws IOException {
        if (!started) {
            out.startState(state.header);
        }
        return true;
    }

    /** Writes a unit ({@code [expiresAt] value}); {@code false}, having written nothing, if it expired. */
    private boolean writeUnit(Object stored, TypeSerializer<Object> serializer, boolean ttl, Scratch target) throws IOException {
        if (!ttl) {
            serializer.serialize(stored, target.data);
            return true;
        }
        TtlValue t = (TtlValue) stored;
        if (t.expired(now)) {
            return false;
        }
        target.data.writeLong(t.expiresAt());
        serializer.serialize(t.value(), target.data);
        return true;
    }

    private void writeKeyAndNamespace(Object entryKey, TypeSerializer<Object> namespaceSerializer) throws IOException {
        if (entryKey instanceof NamespacedKey nk) {
            keySerializer.serialize(nk.key(), key.data);
            namespaceSerializer.serialize(nk.namespace(), key.data);
        } else {
            keySerializer.serialize(entryKey, key.data);
            if (namespaceSerializer != null) {
                throw new IOException("an entry of a namespaced state has no namespace");
            }
        }
    }
}
