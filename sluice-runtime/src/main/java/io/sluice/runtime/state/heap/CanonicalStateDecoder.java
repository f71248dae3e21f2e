package io.sluice.runtime.state.heap;

import io.sluice.api.state.MapStateDescriptor;
import io.sluice.api.state.StateTtlConfig;
import io.sluice.api.types.TypeSerializer;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyGroups;
import io.sluice.runtime.state.VoidNamespace;
import io.sluice.runtime.state.snapshot.RestoredSection;
import io.sluice.runtime.state.snapshot.SectionEntries;
import io.sluice.runtime.state.snapshot.StateHeader;
import io.sluice.runtime.timer.TimerQueue;
import io.sluice.runtime.timer.TimerQueues;
import io.sluice.runtime.state.TimerSnapshots;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes restored canonical sections ({@link io.sluice.runtime.state.snapshot.CanonicalFormat}) into heap state, once
 * the state (or timer service) is registered and its serializers are known: the caller has checked the header
 * against the registration. Every key, namespace and value must use up exactly its bytes, so serializers that read
 * differently from what wrote fail here instead of yielding wrong state. Values whose TTL setting changed since the
 * snapshot are converted as {@link TtlConversion} says. Task thread, before the state is used.
 */
final class CanonicalStateDecoder {
    private CanonicalStateDecoder() {}

    /** Inserts the entries of {@code sections} into {@code r}'s tables. */
    @SuppressWarnings("unchecked")
    static void decodeState(RegisteredState r, List<RestoredSection> sections, TypeSerializer<Object> keySerializer,
            KeyGroupRange range, long now) throws IOException {
        TypeSerializer<Object> values = StateKind.valueSerializer(r.descriptor);
        TypeSerializer<Object> mapKeys = r.kind == StateKind.MAP
                ? (TypeSerializer<Object>) ((MapStateDescriptor<?, ?>) r.descriptor).keySerializer() : null;
        for (RestoredSection s : sections) {
            boolean hadTtl = ((StateHeader) s.header()).ttl();
            int index = s.keyGroup() - range.first();
            SectionEntries entries = s.entries();
            while (entries.next()) {
                DataInputStream k = in(entries.key(), 0, entries.key().length);
                Object key = keySerializer.deserialize(k);
                StateTable table = r.tableOf(index, key);
                Object namespace = r.namespaceSerializer != null ? r.namespaceSerializer.deserialize(k) : VoidNamespace.INSTANCE;
                Object mapKey = mapKeys != null ? mapKeys.deserialize(k) : null;
                requireConsumed(k, r.name, "key");
                byte[] v = entries.value();
                Object entryKey = namespace == VoidNamespace.INSTANCE ? key : new NamespacedKey(key, namespace);
                int hash = KeyGroups.mixedHash(key);
                int entryHash = namespace == VoidNamespace.INSTANCE ? hash : hash * 31 + namespace.hashCode();
                int slot = table.find(entryKey, entryHash);
                switch (r.kind) {
                    case VALUE, REDUCING, AGGREGATING -> {
                        if (slot >= 0) {
                            throw new IOException("state '" + r.name + "' holds key " + key + " twice");
                        }
                        table.insert(slot, entryKey, entryHash, unit(v, 0, v.length, values, hadTtl, r, now));
                    }
                    case LIST -> {
                        if (slot >= 0) {
                            throw new IOException("state '" + r.name + "' holds key " + key + " twice");
                        }
                        table.insert(slot, entryKey, entryHash, list(v, values, hadTtl, r, now));
                    }
                    case MAP -> {
                        Map<Object, Object> map;
                        if (slot >= 0) {
                            map = (Map<Object, Object>) table.valueAt(slot);
                        } else {
                            map = new HashMap<>();
                            table.insert(slot, entryKey, entryHash, map);
                        }
                        if (map.put(mapKey, unit(v, 0, v.length, values, hadTtl, r, now)) != null) {
                            throw new IOException("state '" + r.name + "' holds map key " + mapKey + " of key " + key + " twice");
                        }
                    }
                }
            }
        }
    }

    /** Adds the timers of {@code sections} to {@code queues}. */
    static void decodeTimers(RegisteredTimers timers, List<RestoredSection> sections, TypeSerializer<Object> keySerializer)
            throws IOException {
        TimerQueues queues = timers.queues();
        for (RestoredSection s : sections) {
            SectionEntries entries = s.entries();
            while (entries.next()) {
                DataInputStream k = in(entries.key(), 0, entries.key().length);
                Object key = keySerializer.deserialize(k);
                Object namespace = timers.namespaceSerializer() != null ? timers.namespaceSerializer().deserialize(k)
                        : VoidNamespace.INSTANCE;
                requireConsumed(k, timers.name(), "timer key");
                TimerQueue queue = switch (entries.domain()) {
                    case TimerSnapshots.EVENT_TIME -> queues.eventTime();
                    case TimerSnapshots.PROCESSING_TIME -> queues.processingTime();
                    default -> throw new IOException("timer service '" + timers.name() + "': unknown time domain "
                            + entries.domain());
                };
                queue.add(new TimerQueue.Timer(entries.time(), key, namespace));
            }
        }
    }

    /** A list value: units {@code [expiresAt] length element}. */
    private static List<Object> list(byte[] v, TypeSerializer<Object> elements, boolean hadTtl, RegisteredState r, long now)
            throws IOException {
        ArrayList<Object> list = new ArrayList<>();
        DataInputStream in = in(v, 0, v.length);
        int off = 0;
        while (off < v.length) {
            long expiresAt = hadTtl ? in.readLong() : 0;
            int length = in.readInt();
            off += (hadTtl ? 8 : 0) + 4;
            if (length < 0 || length > v.length - off) {
                throw new IOException("state '" + r.name + "': a damaged list element length " + length);
            }
            DataInputStream e = in(v, off, length);
            Object element = elements.deserialize(e);
            requireConsumed(e, r.name, "list element");
            in.skipNBytes(length);
            off += length;
            list.add(convert(hadTtl ? new TtlValue(element, expiresAt) : element, hadTtl, r.ttl, now));
        }
        return list;
    }

    /** A single unit {@code [expiresAt] value} taking exactly {@code length} bytes. */
    private static Object unit(byte[] v, int off, int length, TypeSerializer<Object> values, boolean hadTtl, RegisteredState r,
            long now) throws IOException {
        DataInputStream in = in(v, off, length);
        long expiresAt = hadTtl ? in.readLong() : 0;
        Object value = values.deserialize(in);
        requireConsumed(in, r.name, "value");
        return convert(hadTtl ? new TtlValue(value, expiresAt) : value, hadTtl, r.ttl, now);
    }

    /** One unit as the state stores it now: TTL switched on starts its time at restore; switched off unwraps it. */
    private static Object convert(Object unit, boolean hadTtl, StateTtlConfig ttl, long now) {
        if (hadTtl == (ttl != null)) {
            return unit;
        }
        return hadTtl ? ((TtlValue) unit).value() : new TtlValue(unit, now + ttl.timeToLive().toMillis());
    }

    private static DataInputStream in(byte[] bytes, int off, int length) {
        return new DataInputStream(new ByteArrayInputStream(bytes, off, length));
    }

    private static void requireConsumed(DataInputStream in, String name, String what) throws IOException {
        int left = in.available(); // exact for an array
        if (left != 0) {
            throw new IOException("'" + name + "': a " + what + " has " + left + " bytes its serializer did not read: the "
                    + "bytes were written by another serializer");
        }
    }
}
