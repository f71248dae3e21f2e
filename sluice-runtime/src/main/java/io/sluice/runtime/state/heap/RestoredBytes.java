package io.sluice.runtime.state.heap;

import io.sluice.api.types.TypeSerializer;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyGroups;
import io.sluice.runtime.state.KeyedStateFiles;
import io.sluice.runtime.state.StateOwner;
import io.sluice.runtime.state.VoidNamespace;
import io.sluice.runtime.state.snapshot.CanonicalFormat;
import io.sluice.runtime.state.snapshot.CanonicalSnapshotReader;
import io.sluice.runtime.state.snapshot.RestoredSection;
import io.sluice.runtime.state.snapshot.SectionEntries;
import io.sluice.runtime.state.snapshot.SerializerCheck;
import io.sluice.runtime.state.snapshot.StateHeader;
import io.sluice.runtime.state.snapshot.TimersHeader;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Restored state not yet claimed, per state (and timer service) name: canonical sections, and segments of the heap
 * backend's block format from before the canonical one ({@link SnapshotFormat}). A state's bytes are decoded when the
 * operator registers the state, which brings its serializers (checked against the ones the snapshot recorded first);
 * what is never claimed goes into the next snapshot unchanged ({@link #unclaimed()}). Task thread.
 */
final class RestoredBytes {
    /** A segment of the old block format. */
    record Segment(int keyGroup, byte[] bytes) {}

    /** Unclaimed restored state of one key group, as a snapshot passes it on. */
    record KeyGroupLeftovers(List<RestoredSection> sections, List<LegacySection> legacy) {}

    /** An old-format segment passed on: {@code code} is a {@link CanonicalFormat} legacy section code. */
    record LegacySection(byte code, String name, byte[] bytes) {}

    private final Map<String, List<RestoredSection>> states = new LinkedHashMap<>();
    private final Map<String, List<RestoredSection>> timers = new LinkedHashMap<>();
    private final Map<String, List<Segment>> legacyStates = new LinkedHashMap<>();
    private final Map<String, List<Segment>> legacyTimers = new LinkedHashMap<>();

    private final CanonicalSnapshotReader.Visitor retain = new CanonicalSnapshotReader.Visitor() {
        @Override
        public void state(int keyGroup, StateHeader header, SectionEntries entries) throws IOException {
            states.computeIfAbsent(header.name(), n -> new ArrayList<>()).add(entries.retain(keyGroup, header));
        }

        @Override
        public void timers(int keyGroup, TimersHeader header, SectionEntries entries) throws IOException {
            timers.computeIfAbsent(header.name(), n -> new ArrayList<>()).add(entries.retain(keyGroup, header));
        }

        @Override
        public void legacy(int keyGroup, byte code, String name, byte[] bytes) {
            (code == CanonicalFormat.LEGACY_TIMERS ? legacyTimers : legacyStates)
                    .computeIfAbsent(name, n -> new ArrayList<>()).add(new Segment(keyGroup, bytes));
        }
    };

    /** Keeps a restored key group's block: canonical, or of the heap backend's old format. */
    void addBlock(int keyGroup, byte[] block) throws IOException {
        if (CanonicalSnapshotReader.isCanonicalBlock(block)) {
            CanonicalSnapshotReader.readBlock(keyGroup, block, retain);
            return;
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(block));
        int segments = in.readInt();
        for (int i = 0; i < segments; i++) {
            byte type = in.readByte();
            String name = in.readUTF();
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            Map<String, List<Segment>> target = type == SnapshotFormat.STATE ? legacyStates : legacyTimers;
            target.computeIfAbsent(name, n -> new ArrayList<>()).add(new Segment(keyGroup, bytes));
        }
    }

    /** Keeps the key groups of {@code range} out of a savepoint's canonical file. */
    void addFile(KeyedStateFiles files, KeyGroupRange range) throws IOException {
        CanonicalSnapshotReader.readFile(files, range, retain);
    }

    /** The unclaimed state by key group, copied (a snapshot's capture: the maps change when states register). */
    Map<Integer, KeyGroupLeftovers> unclaimed() {
        Map<Integer, KeyGroupLeftovers> byKeyGroup = new TreeMap<>();
        for (Map<String, List<RestoredSection>> sections : List.of(states, timers)) {
            sections.values().forEach(list -> list.forEach(s -> leftovers(byKeyGroup, s.keyGroup()).sections().add(s)));
        }
        legacyStates.forEach((name, list) -> list.forEach(s -> leftovers(byKeyGroup, s.keyGroup()).legacy()
                .add(new LegacySection(CanonicalFormat.LEGACY_HEAP_STATE, name, s.bytes()))));
        legacyTimers.forEach((name, list) -> list.forEach(s -> leftovers(byKeyGroup, s.keyGroup()).legacy()
                .add(new LegacySection(CanonicalFormat.LEGACY_TIMERS, name, s.bytes()))));
        return byKeyGroup;
    }

    private static KeyGroupLeftovers leftovers(Map<Integer, KeyGroupLeftovers> byKeyGroup, int keyGroup) {
        return byKeyGroup.computeIfAbsent(keyGroup, k -> new KeyGroupLeftovers(new ArrayList<>(), new ArrayList<>()));
    }

    /**
     * Moves the restored entries of {@code r}'s name into its tables, after checking that the snapshot holds the state
     * as the job declares it: kind and namespacing ({@link IOException}), serializers ({@link SerializerCheck}).
     */
    void decodeState(RegisteredState r, StateOwner owner, TypeSerializer<Object> keySerializer, KeyGroupRange range, long now)
            throws IOException {
        List<RestoredSection> sections = states.remove(r.name);
        if (sections != null) {
            for (RestoredSection s : sections) {
                StateHeader h = (StateHeader) s.header();
                requireKind(r, StateKind.valueOf(h.kind()));
                requireNamespacing(r.name, h.namespaced(), r.namespaceSerializer != null);
                SerializerCheck.requireMatch(owner, h, r.header);
            }
            CanonicalStateDecoder.decodeState(r, sections, keySerializer, range, now);
        }
        List<Segment> segments = legacyStates.remove(r.name);
        if (segments != null) {
            decodeLegacyState(r, segments, keySerializer, range, now);
        }
    }

    /** Moves the restored timers of {@code t}'s name into its queues, after the same checks as {@link #decodeState}. */
    void decodeTimers(RegisteredTimers t, StateOwner owner, TypeSerializer<Object> keySerializer) throws IOException {
        List<RestoredSection> sections = timers.remove(t.name());
        if (sections != null) {
            for (RestoredSection s : sections) {
                requireNamespacing(t.name(), s.header().namespaced(), t.namespaceSerializer() != null);
                SerializerCheck.requireMatch(owner, s.header(), t.header());
            }
            CanonicalStateDecoder.decodeTimers(t, sections, keySerializer);
        }
        List<Segment> segments = legacyTimers.remove(t.name());
        if (segments != null) {
            for (Segment s : segments) {
                io.sluice.runtime.state.TimerSnapshots.addTo(t.queues(), s.bytes(), t.name(), keySerializer,
                        t.namespaceSerializer());
            }
        }
    }

    private static void requireKind(RegisteredState r, StateKind snapshotted) throws IOException {
        if (snapshotted != r.kind) {
            throw new IOException("the snapshot holds '" + r.name + "' as " + snapshotted + " state, the job asks for " + r.kind);
        }
    }

    private static void requireNamespacing(String name, boolean snapshotted, boolean now) throws IOException {
        if (snapshotted != now) {
            throw new IOException("'" + name + "' was snapshotted " + (snapshotted ? "with" : "without")
                    + " namespaces (windows) but is now used " + (now ? "with" : "without"));
        }
    }

    /** The old block format's state segment: {@code kind, namespaced, ttl, count, (key, [namespace], value)*}. */
    private static void decodeLegacyState(RegisteredState r, List<Segment> segments, TypeSerializer<Object> keySerializer,
            KeyGroupRange range, long now) throws IOException {
        for (Segment s : segments) {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(s.bytes()));
            StateKind kind = StateKind.values()[in.readByte()];
            requireKind(r, kind);
            boolean namespaced = in.readBoolean();
            if (namespaced && r.namespaceSerializer == null) {
                requireNamespacing(r.name, true, false);
            }
            boolean ttl = in.readBoolean();
            int count = in.readInt();
            int index = s.keyGroup() - range.first();
            for (int i = 0; i < count; i++) {
                Object key = keySerializer.deserialize(in);
                StateTable table = r.tableOf(index, key);
                Object namespace = namespaced ? r.namespaceSerializer.deserialize(in) : VoidNamespace.INSTANCE;
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
}
