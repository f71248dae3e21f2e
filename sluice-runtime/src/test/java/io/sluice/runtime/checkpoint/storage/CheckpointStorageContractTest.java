package io.sluice.runtime.checkpoint.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link CheckpointStorage}, {@link CheckpointWriter} and the {@link CompletedCheckpointStore} over
 * them, for every storage: what is written and completed is listed and reads back, also through a storage opened anew
 * (another process); a checkpoint without metadata is never complete; a missing or damaged file or metadata is a
 * {@link CorruptCheckpointException} naming the checkpoint and the file, with no fallback to an older checkpoint; the
 * store retains the newest checkpoints and keeps a shared file exactly as long as a retained checkpoint names it (random
 * sequences against a model, with crashes of the store).
 *
 * <p>A storage's test extends this class: {@link #openStorage()} over one location per test, and the few things a test
 * must do behind the storage's back (damage a file, list the shared files, look for leftovers). Randomized tests use
 * fixed seeds, named in every failure message.
 */
public abstract class CheckpointStorageContractTest {
    protected static final byte[] PAYLOAD = {1, 2, 3};

    /** What {@link #damage} does to a file. */
    protected enum Damage { DELETE, TRUNCATE, FLIP_A_BYTE, APPEND }

    /** The storage over this test's location; every call opens it anew, as a restarted process would. */
    protected abstract CheckpointStorage openStorage() throws IOException;

    /** Damages a file of a completed checkpoint behind the storage's back. */
    protected abstract void damage(long checkpointId, StateFileHandle file, Damage damage) throws IOException;

    /** Flips a byte of a completed checkpoint's metadata behind the storage's back. */
    protected abstract void damageMetadata(long checkpointId) throws IOException;

    /** The names of the shared files that exist now. */
    protected abstract Set<String> sharedFiles() throws IOException;

    /** Whether anything of checkpoint {@code checkpointId} (its metadata, its private files) exists. */
    protected abstract boolean hasLeftovers(long checkpointId) throws IOException;

    private static byte[] bytes(Random random, int max) {
        byte[] bytes = new byte[random.nextInt(max + 1)];
        random.nextBytes(bytes);
        return bytes;
    }

    @Test
    public void whatIsWrittenAndCompletedIsListedAndReadsBack() throws IOException {
        CheckpointStorage storage = openStorage();
        Random random = new Random(5);
        Map<String, byte[]> privateFiles = new LinkedHashMap<>();
        Map<String, byte[]> sharedFiles = new LinkedHashMap<>();
        try (CheckpointWriter writer = storage.begin(1)) {
            for (int i = 0; i < 4; i++) {
                privateFiles.put("state-" + i, bytes(random, 100_000));
                writer.writeFile("state-" + i, privateFiles.get("state-" + i));
                sharedFiles.put("sst-" + i, bytes(random, 5_000));
                writer.writeSharedFile("sst-" + i, sharedFiles.get("sst-" + i));
            }
            writer.writeFile("empty", new byte[0]);
            privateFiles.put("empty", new byte[0]);
            writer.complete(PAYLOAD);
        }
        for (CheckpointStorage reader : List.of(storage, openStorage())) {
            assertEquals(List.of(1L), reader.completedCheckpointIds());
            assertEquals(OptionalLong.of(1), reader.latestCompletedId());
            CompletedCheckpoint checkpoint = reader.open(1);
            assertEquals(1, checkpoint.checkpointId());
            assertArrayEquals(PAYLOAD, checkpoint.payload());
            assertEquals(privateFiles.size() + sharedFiles.size(), checkpoint.files().size());
            for (Map.Entry<String, byte[]> e : privateFiles.entrySet()) {
                assertArrayEquals(e.getValue(), checkpoint.readFile(checkpoint.file(StateFileHandle.Scope.PRIVATE, e.getKey()).orElseThrow()), e.getKey());
            }
            for (Map.Entry<String, byte[]> e : sharedFiles.entrySet()) {
                assertArrayEquals(e.getValue(), checkpoint.readFile(checkpoint.file(StateFileHandle.Scope.SHARED, e.getKey()).orElseThrow()), e.getKey());
            }
            checkpoint.verify();
            assertEquals(1, reader.openLatest().orElseThrow().checkpointId());
        }
    }

    @Test
    public void aCheckpointWithoutMetadataIsNeverComplete() throws IOException {
        CheckpointStorage storage = openStorage();
        complete(storage, 1, "a");
        CheckpointWriter torn = storage.begin(2);
        torn.writeFile("a", new byte[] {9});
        torn.writeSharedFile("torn-shared", new byte[] {8});
        for (CheckpointStorage reader : List.of(storage, openStorage())) {
            assertEquals(List.of(1L), reader.completedCheckpointIds(), "a checkpoint being written");
            assertThrows(CheckpointNotFoundException.class, () -> reader.open(2));
            assertEquals(1, reader.openLatest().orElseThrow().checkpointId());
        }
        torn.abort();
        assertFalse(hasLeftovers(2), "an aborted checkpoint leaves nothing");
        assertFalse(sharedFiles().contains("torn-shared"), "nor the shared files it created");
        assertThrows(CheckpointNotFoundException.class, () -> storage.open(2));
        complete(storage, 2, "b"); // the id may be written again
        assertEquals(List.of(1L, 2L), openStorage().completedCheckpointIds());
    }

    @Test
    public void beginRefusesACheckpointBeingWrittenOrComplete() throws IOException {
        CheckpointStorage storage = openStorage();
        complete(storage, 1, "a");
        assertThrows(IllegalStateException.class, () -> storage.begin(1), "complete");
        try (CheckpointWriter writer = storage.begin(2)) {
            assertThrows(IllegalStateException.class, () -> storage.begin(2), "being written");
        }
    }

    @Test
    public void aDamagedFileIsAnErrorNamingTheCheckpointAndTheFile() throws IOException {
        for (Damage damage : Damage.values()) {
            for (StateFileHandle.Scope scope : StateFileHandle.Scope.values()) {
                CheckpointStorage storage = openStorage();
                long id = storage.latestCompletedId().orElse(0) + 1;
                String name = "victim-" + damage.name().toLowerCase(java.util.Locale.ROOT) + "-" + scope.name().toLowerCase(java.util.Locale.ROOT);
                StateFileHandle victim;
                StateFileHandle intact;
                try (CheckpointWriter writer = storage.begin(id)) {
                    byte[] contents = new byte[3_000];
                    new Random(id).nextBytes(contents);
                    victim = scope == StateFileHandle.Scope.PRIVATE ? writer.writeFile(name, contents)
                            : writer.writeSharedFile(name, contents);
                    intact = writer.writeFile("intact", new byte[] {1, 2});
                    writer.complete(PAYLOAD);
                }
                damage(id, victim, damage);
                CompletedCheckpoint checkpoint = openStorage().open(id);
                String where = damage + " of a " + scope + " file of checkpoint " + id;
                assertNamesCheckpointAndFile(assertThrows(CorruptCheckpointException.class, () -> checkpoint.readFile(victim), where), id, name, where);
                assertNamesCheckpointAndFile(assertThrows(CorruptCheckpointException.class, checkpoint::verify, where), id, name, where);
                assertArrayEquals(new byte[] {1, 2}, checkpoint.readFile(intact), where + ": the other files still read");
            }
        }
    }

    @Test
    public void damagedMetadataIsAnErrorAndNothingFallsBackToAnOlderCheckpoint() throws IOException {
        CheckpointStorage storage = openStorage();
        complete(storage, 1, "a");
        complete(storage, 2, "a");
        damageMetadata(2);
        CheckpointStorage reader = openStorage();
        assertEquals(OptionalLong.of(2), reader.latestCompletedId(), "still the newest complete checkpoint");
        CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class, () -> reader.open(2));
        assertTrue(e.getMessage().contains("Checkpoint 2"), "names the checkpoint: " + e.getMessage());
        assertThrows(CorruptCheckpointException.class, reader::openLatest, "never checkpoint 1 instead");
        assertEquals(1, reader.open(1).checkpointId());
    }

    @Test
    public void theStoreRetainsTheNewestCheckpointsAndDeletesOlderOnes() throws IOException {
        CompletedCheckpointStore store = CompletedCheckpointStore.open(openStorage(), 2, false);
        CheckpointStorage storage = openStorage();
        for (long id = 1; id <= 5; id++) {
            try (CheckpointWriter writer = storage.begin(id)) {
                writer.writeFile("state", new byte[] {(byte) id});
                store.complete(writer, PAYLOAD);
            }
        }
        assertEquals(List.of(4L, 5L), openStorage().completedCheckpointIds());
        assertEquals(List.of(4L, 5L), store.retained().stream().map(CompletedCheckpoint::checkpointId).toList());
        for (long id = 1; id <= 3; id++) {
            assertFalse(hasLeftovers(id), "checkpoint " + id + " deleted");
            long gone = id;
            assertThrows(CheckpointNotFoundException.class, () -> openStorage().open(gone));
        }
        assertArrayEquals(new byte[] {5}, openStorage().open(5).readFile(openStorage().open(5).files().getFirst()));
    }

    /**
     * Checkpoints that write new shared files and name shared files of retained ones, through a store retaining k;
     * sometimes the store crashes and a new one opens over a storage opened anew; each seed's store opens over what the
     * earlier seeds left, with its own k. Model: the shared files that exist
     * are exactly those the retained checkpoints name, each counted once per retained checkpoint naming it, and every
     * retained checkpoint verifies.
     */
    @Test
    public void aSharedFileLivesExactlyAsLongAsARetainedCheckpointNamesIt() throws IOException {
        Map<Long, List<StateFileHandle>> sharedOf = new HashMap<>();
        for (long seed = 1; seed <= 4; seed++) {
            Random random = new Random(seed);
            int k = 1 + random.nextInt(3);
            CheckpointStorage storage = openStorage(); // what earlier seeds left: the new store keeps k of it
            CompletedCheckpointStore store = CompletedCheckpointStore.open(storage, k, false);
            int created = 0;
            for (long id = seed * 100; id < seed * 100 + 25; id++) {
                String where = "seed " + seed + ", k " + k + ", checkpoint " + id;
                List<StateFileHandle> available = new ArrayList<>();
                store.retained().forEach(c -> available.addAll(sharedOf.get(c.checkpointId())));
                List<StateFileHandle> named = new ArrayList<>();
                try (CheckpointWriter writer = storage.begin(id)) {
                    for (StateFileHandle h : new HashSet<>(available)) {
                        if (random.nextBoolean()) {
                            named.add(writer.referenceSharedFile(h));
                        }
                    }
                    for (int n = random.nextInt(3); n > 0; n--) {
                        named.add(writer.writeSharedFile("s" + seed + "-" + created++, bytes(random, 200)));
                    }
                    writer.writeFile("state", bytes(random, 50));
                    store.complete(writer, PAYLOAD);
                }
                sharedOf.put(id, named);
                if (random.nextInt(5) == 0) {
                    storage = openStorage();
                    store = CompletedCheckpointStore.open(storage, k, false); // a crash: counts rebuilt from metadata
                }
                checkSharing(store, sharedOf, where);
            }
        }
    }

    private void checkSharing(CompletedCheckpointStore store, Map<Long, List<StateFileHandle>> sharedOf, String where)
            throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        for (CompletedCheckpoint retained : store.retained()) {
            for (StateFileHandle h : sharedOf.get(retained.checkpointId())) {
                counts.merge(h.name(), 1, Integer::sum);
            }
            retained.verify();
        }
        assertEquals(new TreeSet<>(counts.keySet()), new TreeSet<>(sharedFiles()), where + ": the shared files that exist");
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            assertEquals(e.getValue(), store.sharedReferenceCount(e.getKey()), where + ": references to " + e.getKey());
        }
    }

    @Test
    public void tornCheckpointsAndUnreferencedSharedFilesAreSweptAway() throws IOException {
        CheckpointStorage storage = openStorage();
        try (CheckpointWriter writer = storage.begin(1)) {
            writer.writeSharedFile("kept", new byte[] {1});
            writer.writeSharedFile("orphan", new byte[] {2});
            writer.complete(PAYLOAD);
        }
        CheckpointWriter torn = storage.begin(2);
        torn.writeFile("half", new byte[] {3});
        CheckpointStorage afterCrash = openStorage(); // the writer's process is gone
        afterCrash.deleteTornAndUnreferenced(Set.of("kept"));
        assertFalse(hasLeftovers(2), "the torn checkpoint is deleted");
        assertEquals(Set.of("kept"), sharedFiles());
        assertEquals(List.of(1L), afterCrash.completedCheckpointIds());
    }

    /** Completes checkpoint {@code id} with one private file named {@code file}. */
    private static void complete(CheckpointStorage storage, long id, String file) throws IOException {
        try (CheckpointWriter writer = storage.begin(id)) {
            writer.writeFile(file, new byte[] {(byte) id});
            writer.complete(PAYLOAD);
        }
    }

    private static void assertNamesCheckpointAndFile(CorruptCheckpointException e, long id, String file, String where) {
        assertEquals(id, e.checkpointId(), where);
        assertTrue(e.getMessage().contains("Checkpoint " + id) && e.getMessage().contains(file),
                where + ": the message names the checkpoint and the file: " + e.getMessage());
        assertTrue(e.file().contains(file), where + ": the file at fault " + e.file());
    }
}
