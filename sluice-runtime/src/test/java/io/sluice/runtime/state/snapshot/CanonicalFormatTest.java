package io.sluice.runtime.state.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.types.SerializerIdentity;
import io.sluice.runtime.checkpoint.CheckpointSnapshotFiles;
import io.sluice.runtime.checkpoint.storage.CheckpointWriter;
import io.sluice.runtime.checkpoint.storage.CompletedCheckpoint;
import io.sluice.runtime.checkpoint.storage.FileSystemCheckpointStorage;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyedStateFiles;
import io.sluice.runtime.state.KeyedStateSnapshot;
import io.sluice.runtime.state.SnapshotFileWriter;
import io.sluice.runtime.state.SnapshotKind;
import io.sluice.runtime.state.StateOwner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The canonical format on its own: what a writer writes, a reader reads back, section by section and entry by entry,
 * from in-memory blocks and from a savepoint file in a real checkpoint storage (checksummed), for any key-group range;
 * what a savepoint refuses; how damage shows. The oracle is the list of records the test wrote.
 */
class CanonicalFormatTest {
    private static final List<SerializerIdentity> INT_KEY_LONG_VALUE = List.of(SerializerIdentity.of("int"),
            SerializerIdentity.of("long"));

    @TempDir
    Path tmp;

    /** One thing written or read, flattened: "kg/section/..." strings, compared as lists. */
    private static final class Recorder implements CanonicalSnapshotReader.Visitor {
        final List<String> records = new ArrayList<>();

        @Override
        public void state(int keyGroup, StateHeader header, SectionEntries entries) throws IOException {
            records.add(keyGroup + " state " + header);
            while (entries.next()) {
                records.add(keyGroup + " entry " + Arrays.toString(entries.key()) + " -> " + Arrays.toString(entries.value()));
            }
        }

        @Override
        public void timers(int keyGroup, TimersHeader header, SectionEntries entries) throws IOException {
            records.add(keyGroup + " timers " + header);
            while (entries.next()) {
                records.add(keyGroup + " timer " + entries.domain() + "@" + entries.time() + " " + Arrays.toString(entries.key()));
            }
        }

        @Override
        public void legacy(int keyGroup, byte code, String name, byte[] bytes) {
            records.add(keyGroup + " legacy " + code + " " + name + " " + Arrays.toString(bytes));
        }
    }

    /** Writes random sections into {@code out} for the key groups of {@code range}; returns them as records by key group. */
    private static Map<Integer, List<String>> writeRandom(Random r, CanonicalSnapshotWriter out, KeyGroupRange range,
            boolean legacy) throws IOException {
        Map<Integer, List<String>> expected = new TreeMap<>();
        for (int kg = range.first(); kg < range.end(); kg++) {
            out.startKeyGroup(kg);
            List<String> records = new ArrayList<>();
            for (int s = r.nextInt(4); s > 0; s--) {
                if (r.nextBoolean()) {
                    StateHeader h = new StateHeader("state-" + r.nextInt(3), KeyedStateKind.values()[r.nextInt(5)], false,
                            r.nextBoolean(), List.of());
                    h = new StateHeader(h.name(), h.kind(), h.namespaced(), h.ttl(), identities(h));
                    out.startState(h);
                    records.add(kg + " state " + h);
                    for (int e = r.nextInt(5); e > 0; e--) {
                        byte[] key = bytes(r, 1 + r.nextInt(8));
                        byte[] value = bytes(r, r.nextInt(20));
                        out.entry(key, 0, key.length, value, 0, value.length);
                        records.add(kg + " entry " + Arrays.toString(key) + " -> " + Arrays.toString(value));
                    }
                } else {
                    boolean namespaced = r.nextBoolean();
                    TimersHeader h = new TimersHeader("timers-" + r.nextInt(2), namespaced, namespaced
                            ? List.of(SerializerIdentity.of("int"), SerializerIdentity.of("string")) : List.of(SerializerIdentity.of("int")));
                    out.startTimers(h);
                    records.add(kg + " timers " + h);
                    for (int e = r.nextInt(5); e > 0; e--) {
                        byte[] key = bytes(r, 1 + r.nextInt(8));
                        byte domain = (byte) r.nextInt(2);
                        long time = r.nextLong();
                        out.timer(domain, time, key, 0, key.length);
                        records.add(kg + " timer " + domain + "@" + time + " " + Arrays.toString(key));
                    }
                }
            }
            if (legacy && r.nextInt(4) == 0) {
                byte[] bytes = bytes(r, r.nextInt(10));
                out.legacySection(CanonicalFormat.LEGACY_TIMERS, "old", bytes);
                records.add(kg + " legacy " + CanonicalFormat.LEGACY_TIMERS + " old " + Arrays.toString(bytes));
            }
            if (!records.isEmpty()) {
                expected.put(kg, records);
            }
        }
        return expected;
    }

    private static List<SerializerIdentity> identities(StateHeader h) {
        List<SerializerIdentity> ids = new ArrayList<>();
        for (int i = 0; i < h.roles().size(); i++) {
            ids.add(SerializerIdentity.of("s" + i));
        }
        return ids;
    }

    private static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    @Test
    void checkpointBlocksReadBackAsWrittenKeyGroupByKeyGroup() throws Exception {
        for (long seed = 1; seed <= 20; seed++) {
            Random r = new Random(seed);
            KeyGroupRange range = new KeyGroupRange(r.nextInt(5), 5 + r.nextInt(30));
            KeyedStateSnapshot snapshot;
            Map<Integer, List<String>> expected;
            try (CanonicalSnapshotWriter out = CanonicalSnapshotWriter.open(SnapshotKind.CHECKPOINT, range, SnapshotFileWriter.NONE)) {
                expected = writeRandom(r, out, range, true);
                snapshot = out.finish();
            }
            assertEquals(null, snapshot.files(), "seed " + seed + ": a checkpoint keeps its blocks in memory");
            assertEquals(expected.keySet(), snapshot.keyGroups().keySet(), "seed " + seed + ": a block per key group with state");
            for (Map.Entry<Integer, byte[]> block : snapshot.keyGroups().entrySet()) {
                assertTrue(CanonicalSnapshotReader.isCanonicalBlock(block.getValue()), "seed " + seed);
                Recorder read = new Recorder();
                CanonicalSnapshotReader.readBlock(block.getKey(), block.getValue(), read);
                assertEquals(expected.get(block.getKey()), read.records, "seed " + seed + ", key group " + block.getKey());
            }
        }
    }

    @Test
    void aSavepointFileReadsBackAnyRangeOfItsKeyGroupsAndIsChecksummed() throws Exception {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(tmp.resolve("savepoints"));
        for (long seed = 1; seed <= 8; seed++) {
            Random r = new Random(seed);
            KeyGroupRange range = new KeyGroupRange(0, 10 + r.nextInt(60));
            CheckpointWriter writer = storage.begin(seed);
            CheckpointSnapshotFiles files = new CheckpointSnapshotFiles(writer);
            KeyedStateSnapshot snapshot;
            Map<Integer, List<String>> expected;
            try (CanonicalSnapshotWriter out = CanonicalSnapshotWriter.open(SnapshotKind.SAVEPOINT, range, files)) {
                expected = writeRandom(r, out, range, false);
                snapshot = out.finish();
            }
            assertTrue(snapshot.keyGroups().isEmpty(), "seed " + seed);
            assertEquals(files.files(), snapshot.files().files().stream().map(KeyedStateFiles.File::handle).toList(),
                    "seed " + seed + ": the file is recorded in the checkpoint");
            CompletedCheckpoint completed = writer.complete(new byte[0]);
            KeyedStateFiles readable = snapshot.files().withReader(completed::openFile);
            for (int trial = 0; trial < 5; trial++) {
                int first = r.nextInt(range.end());
                KeyGroupRange part = new KeyGroupRange(first, first + r.nextInt(range.end() - first + 1));
                Recorder read = new Recorder();
                CanonicalSnapshotReader.readFile(readable, part, read);
                List<String> want = new ArrayList<>();
                expected.forEach((kg, records) -> {
                    if (part.contains(kg)) {
                        want.addAll(records);
                    }
                });
                assertEquals(want, read.records, "seed " + seed + ", key groups " + part);
            }
            if (!expected.isEmpty()) {
                Path file = storage.checkpointDirectory(seed).resolve(snapshot.files().files().getFirst().handle().name());
                byte[] content = Files.readAllBytes(file);
                content[content.length - 2] ^= 0x40;
                Files.write(file, content);
                IOException damaged = assertThrows(IOException.class,
                        () -> CanonicalSnapshotReader.readFile(readable, range, new Recorder()), "seed " + seed);
                assertTrue(damaged.getMessage().contains("savepoint file private:keyed-"), damaged.getMessage());
            }
        }
    }

    @Test
    void aSavepointRefusesStateWhoseSerializersAreNotKnownAndLegacySectionsAndLeavesNoFile() throws Exception {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(tmp.resolve("refused"));
        KeyGroupRange range = new KeyGroupRange(0, 4);
        StateHeader unknown = new StateHeader("old", KeyedStateKind.VALUE, false, false, List.of());
        for (int attempt = 0; attempt < 2; attempt++) {
            CheckpointWriter writer = storage.begin(attempt + 1);
            try (CanonicalSnapshotWriter out = CanonicalSnapshotWriter.open(SnapshotKind.SAVEPOINT, range,
                    new CheckpointSnapshotFiles(writer))) {
                out.startKeyGroup(1);
                IOException e = attempt == 0 ? assertThrows(IOException.class, () -> out.startState(unknown))
                        : assertThrows(IOException.class, () -> out.legacySection(CanonicalFormat.LEGACY_HEAP_STATE, "old", new byte[1]));
                assertTrue(e.getMessage().contains("a savepoint cannot hold state 'old'"), e.getMessage());
            }
            try (Stream<Path> left = Files.list(storage.checkpointDirectory(attempt + 1))) {
                assertEquals(List.of(), left.toList(), "the partial file is deleted");
            }
            writer.abort();
        }
        // a checkpoint takes both: they are passed on until the operator registers the state
        try (CanonicalSnapshotWriter out = CanonicalSnapshotWriter.open(SnapshotKind.CHECKPOINT, range, SnapshotFileWriter.NONE)) {
            out.startKeyGroup(1);
            out.startState(unknown);
            out.legacySection(CanonicalFormat.LEGACY_HEAP_STATE, "older", new byte[] {7});
            Recorder read = new Recorder();
            KeyedStateSnapshot s = out.finish();
            CanonicalSnapshotReader.readBlock(1, s.keyGroups().get(1), read);
            assertEquals(List.of("1 state " + unknown, "1 legacy 3 older [7]"), read.records);
        }
    }

    @Test
    void retainedSectionsArePassedOnByteForByte() throws Exception {
        Random r = new Random(5);
        KeyGroupRange range = new KeyGroupRange(0, 8);
        KeyedStateSnapshot first;
        try (CanonicalSnapshotWriter out = CanonicalSnapshotWriter.open(SnapshotKind.CHECKPOINT, range, SnapshotFileWriter.NONE)) {
            writeRandom(r, out, range, false);
            first = out.finish();
        }
        List<RestoredSection> retained = new ArrayList<>();
        for (Map.Entry<Integer, byte[]> block : first.keyGroups().entrySet()) {
            CanonicalSnapshotReader.readBlock(block.getKey(), block.getValue(), new CanonicalSnapshotReader.Visitor() {
                @Override
                public void state(int keyGroup, StateHeader header, SectionEntries entries) throws IOException {
                    retained.add(entries.retain(keyGroup, header));
                }

                @Override
                public void timers(int keyGroup, TimersHeader header, SectionEntries entries) throws IOException {
                    retained.add(entries.retain(keyGroup, header));
                }

                @Override
                public void legacy(int keyGroup, byte code, String name, byte[] bytes) {
                    throw new AssertionError("no legacy sections were written");
                }
            });
        }
        KeyedStateSnapshot second;
        try (CanonicalSnapshotWriter out = CanonicalSnapshotWriter.open(SnapshotKind.CHECKPOINT, range, SnapshotFileWriter.NONE)) {
            int next = 0;
            for (int kg = range.first(); kg < range.end(); kg++) {
                out.startKeyGroup(kg);
                for (; next < retained.size() && retained.get(next).keyGroup() == kg; next++) {
                    out.section(retained.get(next));
                }
            }
            second = out.finish();
        }
        assertEquals(first.keyGroups().keySet(), second.keyGroups().keySet());
        first.keyGroups().forEach((kg, block) -> assertArrayEquals(block, second.keyGroups().get(kg), "key group " + kg));
    }

    @Test
    void olderBlocksAreToldApartFromCanonicalOnes() {
        assertFalse(CanonicalSnapshotReader.isCanonicalBlock(new byte[] {0, 0, 0, 2, 0}), "a count of two segments");
        assertFalse(CanonicalSnapshotReader.isCanonicalBlock(new byte[] {1}));
    }

    @Test
    void aSerializerMismatchNamesTheStateTheOwnerTheRoleAndBothIdentities() {
        StateOwner owner = new StateOwner("Sum", "sum-uid", 3, 4);
        StateHeader written = new StateHeader("totals", KeyedStateKind.MAP, true, false, List.of(SerializerIdentity.of("int"),
                SerializerIdentity.of("string"), SerializerIdentity.of("string"), new SerializerIdentity("my-format", 2)));
        StateHeader declared = new StateHeader("totals", KeyedStateKind.MAP, true, false, List.of(SerializerIdentity.of("int"),
                SerializerIdentity.of("string"), SerializerIdentity.of("string"), new SerializerIdentity("my-format", 3)));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SerializerCheck.requireMatch(owner, written, declared));
        assertEquals("operator 'Sum' (uid sum-uid), subtask 4/4: cannot restore state 'totals': its map values were written "
                + "by serializer 'my-format' (version 2), the job now declares serializer 'my-format' (version 3) for them. "
                + "Reading the bytes with it would misread them: keep the old type, or give the state another name (it then "
                + "starts empty).", e.getMessage());
        SerializerCheck.requireMatch(owner, written, written);
        SerializerCheck.requireMatch(owner, new StateHeader("totals", KeyedStateKind.MAP, true, false, List.of()), declared);
    }
}
