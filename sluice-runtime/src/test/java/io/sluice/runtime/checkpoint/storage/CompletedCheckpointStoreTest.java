package io.sluice.runtime.checkpoint.storage;

import static io.sluice.runtime.checkpoint.storage.StorageTestSupport.checkpointDirs;
import static io.sluice.runtime.checkpoint.storage.StorageTestSupport.list;
import static io.sluice.runtime.checkpoint.storage.StorageTestSupport.randomBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.runtime.checkpoint.storage.CompletedCheckpointStore.Termination;
import io.sluice.runtime.checkpoint.storage.StateFileHandle.Scope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Retention of the last K checkpoints, reference-counted shared files, recovery of the store after a crash. */
class CompletedCheckpointStoreTest {
    private static final byte[] PAYLOAD = "payload".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path root;

    private static List<Long> ids(CompletedCheckpointStore store) {
        return store.retained().stream().map(CompletedCheckpoint::checkpointId).toList();
    }

    private static CompletedCheckpoint complete(CompletedCheckpointStore store, FileSystemCheckpointStorage storage, long id,
            List<String> newShared, List<StateFileHandle> referenced) throws IOException {
        try (CheckpointWriter writer = storage.begin(id)) {
            writer.writeFile("state", ("state of " + id).getBytes(StandardCharsets.UTF_8));
            for (String name : newShared) {
                writer.writeSharedFile(name, (name + " written by " + id).getBytes(StandardCharsets.UTF_8));
            }
            for (StateFileHandle handle : referenced) {
                writer.referenceSharedFile(handle);
            }
            return store.complete(writer, PAYLOAD);
        }
    }

    @ParameterizedTest(name = "K={0}")
    @ValueSource(ints = {1, 2, 3, 5})
    void retainsTheLastKAndDeletesOlderOnes(int k) throws IOException {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root);
        CompletedCheckpointStore store = CompletedCheckpointStore.open(storage, k, false);
        for (long id = 1; id <= 8; id++) {
            complete(store, storage, id, List.of(), List.of());
            List<Long> expected = LongStream.rangeClosed(Math.max(1, id - k + 1), id).boxed().toList();
            assertEquals(expected, ids(store));
            assertEquals(expected, storage.completedCheckpointIds());
            assertEquals(expected.size(), checkpointDirs(root).size());
            assertEquals(id, store.latest().orElseThrow().checkpointId());
        }
    }

    @Test
    void retainsThreeByDefault() throws IOException {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root);
        CompletedCheckpointStore store = CompletedCheckpointStore.open(storage);
        assertEquals(CompletedCheckpointStore.DEFAULT_MAX_RETAINED, store.maxRetained());
        assertFalse(store.retainsOnCancel());
        for (long id = 1; id <= 5; id++) {
            complete(store, storage, id, List.of(), List.of());
        }
        assertEquals(List.of(3L, 4L, 5L), ids(store));
        assertEquals(Set.of("chk-000003", "chk-000004", "chk-000005"), checkpointDirs(root));
    }

    @Test
    void aSharedFileLivesExactlyAsLongAsARetainedCheckpointNamesIt() throws IOException {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root);
        CompletedCheckpointStore store = CompletedCheckpointStore.open(storage, 2, false);
        StateFileHandle s = complete(store, storage, 1, List.of("s"), List.of()).file(Scope.SHARED, "s").orElseThrow();
        complete(store, storage, 2, List.of(), List.of(s));
        complete(store, storage, 3, List.of(), List.of(s));
        assertEquals(List.of(2L, 3L), ids(store));
        assertEquals(2, store.sharedReferenceCount("s"));
        assertEquals(Set.of("s"), list(root.resolve("shared")), "checkpoint 1 is gone but 2 and 3 name s");
        complete(store, storage, 4, List.of(), List.of());
        assertEquals(1, store.sharedReferenceCount("s"));
        assertEquals(Set.of("s"), list(root.resolve("shared")));
        storage.open(3).verify();
        complete(store, storage, 5, List.of(), List.of());
        assertEquals(0, store.sharedReferenceCount("s"));
        assertEquals(Set.of(), list(root.resolve("shared")));
    }

    @Test
    void referenceCountsAreRebuiltByANewStoreAfterACrash() throws IOException {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root);
        CompletedCheckpointStore store = CompletedCheckpointStore.open(storage, 3, false);
        CompletedCheckpoint c1 = complete(store, storage, 1, List.of("a", "b"), List.of());
        StateFileHandle a = c1.file(Scope.SHARED, "a").orElseThrow();
        StateFileHandle b = c1.file(Scope.SHARED, "b").orElseThrow();
        CompletedCheckpoint c2 = complete(store, storage, 2, List.of("c"), List.of(a, b));
        StateFileHandle c = c2.file(Scope.SHARED, "c").orElseThrow();
        complete(store, storage, 3, List.of(), List.of(a, c));

        // crash: a new process opens a new storage and store over the same directory
        FileSystemCheckpointStorage storage2 = new FileSystemCheckpointStorage(root);
        CompletedCheckpointStore store2 = CompletedCheckpointStore.open(storage2, 3, false);
        assertEquals(List.of(1L, 2L, 3L), ids(store2));
        assertEquals(3, store2.sharedReferenceCount("a"));
        assertEquals(2, store2.sharedReferenceCount("b"));
        assertEquals(2, store2.sharedReferenceCount("c"));

        complete(store2, storage2, 4, List.of(), List.of(c));
        assertEquals(Set.of("a", "b", "c"), list(root.resolve("shared")));
        complete(store2, storage2, 5, List.of(), List.of());
        assertEquals(Set.of("a", "c"), list(root.resolve("shared")), "b was named by 1 and 2 only");
        complete(store2, storage2, 6, List.of(), List.of());
        assertEquals(Set.of("c"), list(root.resolve("shared")));
        complete(store2, storage2, 7, List.of(), List.of());
        assertEquals(Set.of(), list(root.resolve("shared")));
        assertEquals(List.of(5L, 6L, 7L), ids(store2));
    }

    @Test
    void openingDeletesTornCheckpointsOrphanedSharedFilesAndCheckpointsBeyondK() throws IOException {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root);
        CompletedCheckpointStore store = CompletedCheckpointStore.open(storage, 3, false);
        StateFileHandle s = complete(store, storage, 1, List.of("s1"), List.of()).file(Scope.SHARED, "s1").orElseThrow();
        complete(store, storage, 2, List.of("s2"), List.of(s));
        complete(store, storage, 3, List.of("s3"), List.of());
        // crash in the middle of checkpoint 4: some files written, no metadata; a partial shared upload
        CheckpointWriter torn = storage.begin(4);
        torn.writeFile("state", new byte[100]);
        torn.writeSharedFile("s4", new byte[100]);
        Files.write(root.resolve("shared/s5-partial"), new byte[7]);
        // and a crash in the middle of deleting an old checkpoint: metadata gone, files left
        Files.createDirectories(root.resolve("chk-000000"));
        Files.write(root.resolve("chk-000000/state"), new byte[3]);

        CompletedCheckpointStore reopened = CompletedCheckpointStore.open(new FileSystemCheckpointStorage(root), 2, false);
        assertEquals(List.of(2L, 3L), ids(reopened));
        assertEquals(Set.of("chk-000002", "chk-000003"), checkpointDirs(root));
        assertEquals(Set.of("s1", "s2", "s3"), list(root.resolve("shared")));
        assertEquals(1, reopened.sharedReferenceCount("s1"));
        for (CompletedCheckpoint c : reopened.retained()) {
            c.verify();
        }
    }

    @Test
    void aCrashAfterDeletingAMetadataFileLeavesNothingThatLooksComplete() throws IOException {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root);
        CompletedCheckpointStore store = CompletedCheckpointStore.open(storage, 3, false);
        complete(store, storage, 1, List.of("only-in-1"), List.of());
        complete(store, storage, 2, List.of("in-2"), List.of());
        // the first step of deleting checkpoint 1, then a crash
        Files.delete(root.resolve("chk-000001/_metadata"));
        assertEquals(List.of(2L), storage.completedCheckpointIds());

        CompletedCheckpointStore reopened = CompletedCheckpointStore.open(new FileSystemCheckpointStorage(root), 3, false);
        assertEquals(List.of(2L), ids(reopened));
        assertEquals(Set.of("chk-000002"), checkpointDirs(root));
        assertEquals(Set.of("in-2"), list(root.resolve("shared")));
    }

    static Stream<Arguments> shutdowns() {
        return Stream.of(
                Arguments.of(Termination.FINISHED, false, false),
                Arguments.of(Termination.FINISHED, true, false),
                Arguments.of(Termination.CANCELLED, false, false),
                Arguments.of(Termination.CANCELLED, true, true),
                Arguments.of(Termination.FAILED, false, true),
                Arguments.of(Termination.FAILED, true, true));
    }

    @ParameterizedTest(name = "{0}, retainOnCancel={1} -> kept={2}")
    @MethodSource("shutdowns")
    void shutdownKeepsOrDeletesTheRetainedCheckpoints(Termination termination, boolean retainOnCancel, boolean kept)
            throws IOException {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root);
        CompletedCheckpointStore store = CompletedCheckpointStore.open(storage, 2, retainOnCancel);
        StateFileHandle s = complete(store, storage, 1, List.of("s"), List.of()).file(Scope.SHARED, "s").orElseThrow();
        complete(store, storage, 2, List.of("t"), List.of(s));
        complete(store, storage, 3, List.of(), List.of(s));
        store.shutdown(termination);
        store.shutdown(termination);
        if (kept) {
            assertEquals(List.of(2L, 3L), storage.completedCheckpointIds());
            assertEquals(Set.of("s", "t"), list(root.resolve("shared")));
            assertEquals(List.of(2L, 3L), ids(CompletedCheckpointStore.open(new FileSystemCheckpointStorage(root), 2, false)));
        } else {
            assertEquals(Set.of(), checkpointDirs(root));
            assertEquals(Set.of(), list(root.resolve("shared")));
        }
        try (CheckpointWriter writer = storage.begin(4)) {
            assertThrows(IllegalStateException.class, () -> store.complete(writer, PAYLOAD));
        }
    }

    @Test
    void aCheckpointOlderThanTheLatestIsRejectedAndAborted() throws IOException {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root);
        CompletedCheckpointStore store = CompletedCheckpointStore.open(storage);
        CheckpointWriter older = storage.begin(1);
        older.writeFile("a", new byte[1]);
        complete(store, storage, 2, List.of(), List.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.complete(older, PAYLOAD));
        assertTrue(e.getMessage().contains("Checkpoint 1 completes after checkpoint 2"), e.getMessage());
        assertEquals(Set.of("chk-000002"), checkpointDirs(root));
        assertEquals(List.of(2L), ids(store));
    }

    @Test
    void theStoreCannotOpenWhileACheckpointIsBeingWritten() throws IOException {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root);
        try (CheckpointWriter writer = storage.begin(1)) {
            assertThrows(IllegalStateException.class, () -> CompletedCheckpointStore.open(storage));
            writer.abort();
        }
        assertThrows(IllegalArgumentException.class, () -> CompletedCheckpointStore.open(storage, 0, false));
    }

    static Stream<Arguments> randomRuns() {
        long seeds = Long.getLong("sluice.test.seeds", 20);
        return LongStream.rangeClosed(1, seeds).boxed()
                .flatMap(seed -> Stream.of(Arguments.of(seed, 2), Arguments.of(seed, 3)));
    }

    /**
     * Many checkpoints with seeded random sharing (new shared files, references to shared files of retained
     * checkpoints), aborts, failures and crashes (a writer abandoned mid-way, a store reopened by a "new process").
     * After every step: every retained checkpoint reads back completely, the shared directory holds exactly the files
     * retained checkpoints name, and the store's counts equal those recomputed from the retained metadata.
     */
    @ParameterizedTest(name = "seed {0}, K={1}")
    @MethodSource("randomRuns")
    void randomSharingNeverLosesARetainedFileNorKeepsAnUnreferencedOne(long seed, int k) throws IOException {
        System.out.println("CompletedCheckpointStoreTest.randomSharing seed=" + seed + " K=" + k);
        Random random = new Random(seed * 31 + k);
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root);
        CompletedCheckpointStore store = CompletedCheckpointStore.open(storage, k, false);
        Map<String, byte[]> sharedContents = new HashMap<>();
        int nextShared = 0;
        int completed = 0;
        String context = "seed " + seed + ", K " + k;
        for (long id = 1; id <= 60; id++) {
            List<StateFileHandle> referable = new ArrayList<>();
            List<CompletedCheckpoint> retained = store.retained();
            // reference files of the latest checkpoint mostly, sometimes of older retained ones
            if (!retained.isEmpty()) {
                CompletedCheckpoint base = random.nextInt(4) == 0
                        ? retained.get(random.nextInt(retained.size())) : retained.getLast();
                referable.addAll(base.metadata().files(Scope.SHARED));
            }
            int action = random.nextInt(20);
            CheckpointWriter writer = storage.begin(id);
            writer.writeFile("state", randomBytes(random, random.nextInt(2000)));
            for (StateFileHandle h : referable) {
                if (random.nextInt(3) != 0) {
                    writer.referenceSharedFile(h);
                }
            }
            for (int n = random.nextInt(3); n > 0; n--) {
                String name = "s" + nextShared++;
                byte[] bytes = randomBytes(random, random.nextInt(3000));
                sharedContents.put(name, bytes);
                writer.writeSharedFile(name, bytes);
            }
            if (action == 0) {
                writer.abort();
            } else if (action == 1) {
                // crash mid-checkpoint: the writer is abandoned, a partial upload is left, a new process takes over
                Files.write(root.resolve("shared/partial-" + id), new byte[5]);
                storage = new FileSystemCheckpointStorage(root);
                store = CompletedCheckpointStore.open(storage, k, false);
                assertEquals(retained.stream().map(CompletedCheckpoint::checkpointId).toList(), ids(store), context);
            } else {
                store.complete(writer, PAYLOAD);
                completed++;
                if (action == 2) {
                    // crash after completing: a new process rebuilds the counts from the metadata
                    storage = new FileSystemCheckpointStorage(root);
                    store = CompletedCheckpointStore.open(storage, k, false);
                }
            }
            checkInvariants(store, root, sharedContents, context + ", after checkpoint " + id);
        }
        assertTrue(completed >= 40, context);
        assertEquals(Math.min(k, completed), store.retained().size(), context);
    }

    private static void checkInvariants(CompletedCheckpointStore store, Path root, Map<String, byte[]> sharedContents,
            String context) throws IOException {
        Map<String, Integer> expectedCounts = new HashMap<>();
        TreeSet<String> dirs = new TreeSet<>();
        for (CompletedCheckpoint c : store.retained()) {
            c.verify();
            dirs.add(FileSystemLayout.checkpointDirName(c.checkpointId()));
            for (StateFileHandle h : c.metadata().files(Scope.SHARED)) {
                expectedCounts.merge(h.name(), 1, Integer::sum);
                if (!java.util.Arrays.equals(sharedContents.get(h.name()), c.readFile(h))) {
                    throw new AssertionError(context + ": shared file " + h.name() + " has other contents");
                }
            }
        }
        TreeSet<String> shared = list(root.resolve("shared"));
        assertEquals(new TreeSet<>(expectedCounts.keySet()), shared, context + ": shared files on disk");
        for (Map.Entry<String, Integer> e : expectedCounts.entrySet()) {
            assertEquals(e.getValue(), store.sharedReferenceCount(e.getKey()), context + ": count of " + e.getKey());
        }
        assertEquals(dirs, checkpointDirs(root), context + ": checkpoint directories on disk");
    }
}
