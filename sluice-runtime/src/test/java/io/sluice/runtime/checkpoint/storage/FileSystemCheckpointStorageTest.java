package io.sluice.runtime.checkpoint.storage;

import static io.sluice.runtime.checkpoint.storage.StorageTestSupport.assertReadsBack;
import static io.sluice.runtime.checkpoint.storage.StorageTestSupport.crc32c;
import static io.sluice.runtime.checkpoint.storage.StorageTestSupport.list;
import static io.sluice.runtime.checkpoint.storage.StorageTestSupport.randomBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.runtime.checkpoint.storage.StateFileHandle.Scope;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Writing, completing, listing and reading back checkpoints; torn checkpoints; aborts; names. */
class FileSystemCheckpointStorageTest {
    private static final byte[] PAYLOAD = "operator a -> [op-a]".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path root;

    static LongStream seeds() {
        return LongStream.rangeClosed(1, Long.getLong("sluice.test.seeds", 20));
    }

    @Test
    void privateAndSharedFilesRoundTrip() throws IOException {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root);
        Random random = new Random(7);
        byte[] a = randomBytes(random, 1000);
        byte[] b = randomBytes(random, 200_000);
        byte[] s = randomBytes(random, 5000);
        StateFileHandle ha;
        StateFileHandle hb;
        StateFileHandle hs;
        try (CheckpointWriter writer = storage.begin(42)) {
            ha = writer.writeFile("op-a", a);
            try (StateFileOutputStream out = writer.createFile("op-b")) {
                out.write(b, 0, 100);
                out.write(b[100]);
                out.write(b, 101, b.length - 101);
                hb = out.closeAndGetHandle();
            }
            hs = writer.writeSharedFile("000001.sst", s);
            assertEquals(Set.of(ha, hb, hs), Set.copyOf(writer.files()));
            CompletedCheckpoint completed = writer.complete(PAYLOAD);
            assertEquals(42, completed.checkpointId());
        }
        assertEquals(new StateFileHandle(Scope.PRIVATE, "op-a", 1000, crc32c(a)), ha);
        assertEquals(List.of(42L), storage.completedCheckpointIds());
        assertEquals(OptionalLong.of(42), storage.latestCompletedId());
        assertEquals(Set.of("_metadata", "op-a", "op-b"), list(root.resolve("chk-000042")));
        assertEquals(Set.of("000001.sst"), list(root.resolve("shared")));

        CompletedCheckpoint read = storage.open(42);
        assertEquals(List.of(ha, hb, hs), read.files());
        assertArrayEquals(PAYLOAD, read.payload());
        assertReadsBack(read, ha, a);
        assertReadsBack(read, hb, b);
        assertReadsBack(read, hs, s);
        assertEquals(Optional.of(hs), read.file(Scope.SHARED, "000001.sst"));
        assertEquals(Optional.empty(), read.file(Scope.PRIVATE, "000001.sst"));
        assertEquals(root.resolve("shared/000001.sst").toString(), read.fileLocation(hs));
        read.verify();
        assertEquals(42, storage.openLatest().orElseThrow().checkpointId());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void streamsWrittenAndReadInRandomPiecesRoundTrip(long seed) throws IOException {
        System.out.println("FileSystemCheckpointStorageTest.streamsWrittenAndReadInRandomPiecesRoundTrip seed=" + seed);
        Random random = new Random(seed);
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root);
        int files = 1 + random.nextInt(5);
        byte[][] contents = new byte[files][];
        StateFileHandle[] handles = new StateFileHandle[files];
        try (CheckpointWriter writer = storage.begin(seed)) {
            for (int i = 0; i < files; i++) {
                contents[i] = randomBytes(random, random.nextInt(4) == 0 ? 0 : random.nextInt(300_000));
                try (StateFileOutputStream out = i % 2 == 0 ? writer.createFile("f" + i) : writer.createSharedFile("f" + i)) {
                    int pos = 0;
                    while (pos < contents[i].length) {
                        int n = Math.min(contents[i].length - pos, pieceSize(random));
                        if (n == 1) {
                            out.write(contents[i][pos]);
                        } else {
                            out.write(contents[i], pos, n);
                        }
                        if (random.nextInt(10) == 0) {
                            out.flush();
                        }
                        pos += n;
                    }
                    handles[i] = out.closeAndGetHandle();
                }
            }
            writer.complete(new byte[0]);
        }
        CompletedCheckpoint read = storage.open(seed);
        for (int i = 0; i < files; i++) {
            assertEquals(contents[i].length, handles[i].size(), "seed " + seed);
            assertEquals(crc32c(contents[i]), handles[i].crc32c(), "seed " + seed);
            ByteArrayOutputStream back = new ByteArrayOutputStream();
            try (InputStream in = read.openFile(handles[i])) {
                byte[] piece = new byte[200_000];
                while (true) {
                    int want = pieceSize(random);
                    if (want == 1) {
                        int b = in.read();
                        if (b < 0) {
                            break;
                        }
                        back.write(b);
                    } else {
                        int n = in.read(piece, 0, Math.min(want, piece.length));
                        if (n < 0) {
                            break;
                        }
                        back.write(piece, 0, n);
                    }
                }
            }
            assertArrayEquals(contents[i], back.toByteArray(), "seed " + seed + ", file " + i);
        }
    }

    /** 1 byte, a few bytes, around the 64 KiB buffer, or larger than it. */
    private static int pieceSize(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> 1;
            case 1 -> 1 + random.nextInt(100);
            case 2 -> 65_536 - 10 + random.nextInt(20);
            default -> 1 + random.nextInt(150_000);
        };
    }

    @Test
    void stateFilesAreSyncedBeforeTheMetadataWhichIsSyncedBeforeItsRename() throws IOException {
        FaultyDisk disk = new FaultyDisk();
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root, disk);
        try (CheckpointWriter writer = storage.begin(1)) {
            writer.writeFile("a", new byte[10]);
            writer.writeSharedFile("s", new byte[10]);
            writer.complete(PAYLOAD);
        }
        assertEquals(List.of("create a", "force a", "create s", "force s", "create _metadata.tmp", "force _metadata.tmp"),
                disk.events());
        assertEquals(Set.of("_metadata", "a"), list(root.resolve("chk-000001")));
    }

    @Test
    void aCheckpointIsNotCompleteBeforeItsMetadataIsWritten() throws IOException {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root);
        try (CheckpointWriter writer = storage.begin(3)) {
            writer.writeFile("a", new byte[10]);
            assertEquals(List.of(), storage.completedCheckpointIds());
            assertEquals(OptionalLong.empty(), storage.latestCompletedId());
            assertEquals(Optional.empty(), storage.openLatest());
            CheckpointNotFoundException e = assertThrows(CheckpointNotFoundException.class, () -> storage.open(3));
            assertTrue(e.getMessage().contains("Checkpoint 3") && e.getMessage().contains("chk-000003"), e.getMessage());
            writer.complete(PAYLOAD);
        }
        assertEquals(List.of(3L), storage.completedCheckpointIds());
    }

    @Test
    void tornCheckpointWithoutMetadataIsIgnoredByLatest() throws IOException {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root);
        try (CheckpointWriter writer = storage.begin(1)) {
            writer.writeFile("a", new byte[] {1});
            writer.complete(PAYLOAD);
        }
        CheckpointWriter torn = storage.begin(2);
        torn.writeFile("a", new byte[] {2});
        torn.writeSharedFile("s", new byte[] {3});
        // the process "crashes" here: the writer is never completed or aborted; a new process sees the directory
        FileSystemCheckpointStorage afterCrash = new FileSystemCheckpointStorage(root);
        assertTrue(Files.exists(root.resolve("chk-000002/a")));
        assertEquals(List.of(1L), afterCrash.completedCheckpointIds());
        assertEquals(OptionalLong.of(1), afterCrash.latestCompletedId());
        assertEquals(1, afterCrash.openLatest().orElseThrow().checkpointId());
        assertThrows(CheckpointNotFoundException.class, () -> afterCrash.open(2));
        assertThrows(CheckpointNotFoundException.class,
                () -> FileSystemCheckpointStorage.openPath(root.resolve("chk-000002")));
    }

    @Test
    void tornCheckpointWithPartialTemporaryMetadataIsIgnoredByLatest() throws IOException {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root);
        try (CheckpointWriter writer = storage.begin(1)) {
            writer.writeFile("a", new byte[] {1});
            writer.complete(PAYLOAD);
        }
        CheckpointWriter torn = storage.begin(2);
        StateFileHandle a = torn.writeFile("a", new byte[] {2});
        byte[] metadata = MetadataFormat.encode(new CheckpointMetadata(2, List.of(a), PAYLOAD));
        Files.write(root.resolve("chk-000002/_metadata.tmp"), Arrays.copyOf(metadata, metadata.length / 2));

        FileSystemCheckpointStorage afterCrash = new FileSystemCheckpointStorage(root);
        assertEquals(List.of(1L), afterCrash.completedCheckpointIds());
        assertEquals(1, afterCrash.openLatest().orElseThrow().checkpointId());
        assertThrows(CheckpointNotFoundException.class, () -> afterCrash.open(2));
    }

    @Test
    void beginningATornCheckpointAgainStartsFromAnEmptyDirectory() throws IOException {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root);
        CheckpointWriter torn = storage.begin(5);
        torn.writeFile("old", new byte[] {1});
        Files.write(root.resolve("chk-000005/_metadata.tmp"), new byte[] {1, 2});

        FileSystemCheckpointStorage afterCrash = new FileSystemCheckpointStorage(root);
        try (CheckpointWriter writer = afterCrash.begin(5)) {
            assertEquals(Set.of(), list(root.resolve("chk-000005")));
            writer.writeFile("new", new byte[] {2});
            writer.complete(PAYLOAD);
        }
        assertEquals(Set.of("_metadata", "new"), list(root.resolve("chk-000005")));
    }

    @Test
    void beginRejectsACheckpointBeingWrittenOrComplete() throws IOException {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root);
        try (CheckpointWriter writer = storage.begin(1)) {
            assertThrows(IllegalStateException.class, () -> storage.begin(1));
            writer.complete(PAYLOAD);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> storage.begin(1));
        assertTrue(e.getMessage().contains("Checkpoint 1 is already complete"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> storage.begin(-1));
    }

    @Test
    void abortDeletesPrivateAndNewSharedFilesButNotReferencedOnes() throws IOException {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root);
        StateFileHandle old;
        try (CheckpointWriter writer = storage.begin(1)) {
            old = writer.writeSharedFile("old.sst", new byte[] {1, 2, 3});
            writer.complete(PAYLOAD);
        }
        CheckpointWriter writer = storage.begin(2);
        writer.writeFile("a", new byte[100]);
        writer.writeSharedFile("new.sst", new byte[100]);
        writer.referenceSharedFile(old);
        StateFileOutputStream open = writer.createFile("still-open");
        open.write(new byte[10]);
        writer.abort();
        writer.abort();
        assertFalse(Files.exists(root.resolve("chk-000002")));
        assertEquals(Set.of("old.sst"), list(root.resolve("shared")));
        CheckpointWriteException e = assertThrows(CheckpointWriteException.class, open::closeAndGetHandle);
        assertTrue(e.getMessage().contains("Checkpoint 2") && e.getMessage().contains("still-open")
                && e.getMessage().contains("aborted"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> writer.writeFile("b", new byte[1]));
        assertThrows(IllegalStateException.class, () -> writer.complete(PAYLOAD));
        assertEquals(List.of(1L), storage.completedCheckpointIds());
        storage.open(1).verify();
        // the id is free again
        try (CheckpointWriter again = storage.begin(2)) {
            again.complete(PAYLOAD);
        }
        assertEquals(List.of(1L, 2L), storage.completedCheckpointIds());
    }

    @Test
    void closingAWriterThatDidNotCompleteAbortsIt() throws IOException {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root);
        try (CheckpointWriter writer = storage.begin(1)) {
            writer.writeFile("a", new byte[10]);
            writer.writeSharedFile("s", new byte[10]);
        }
        assertFalse(Files.exists(root.resolve("chk-000001")));
        assertEquals(Set.of(), list(root.resolve("shared")));
        assertEquals(List.of(), storage.completedCheckpointIds());
    }

    @Test
    void aStreamClosedWithoutTakingItsHandleIsDiscarded() throws IOException {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root);
        try (CheckpointWriter writer = storage.begin(1)) {
            try (StateFileOutputStream out = writer.createFile("a")) {
                out.write(new byte[100]);
            }
            try (StateFileOutputStream out = writer.createSharedFile("s")) {
                out.write(new byte[100]);
            }
            assertEquals(Set.of(), list(root.resolve("chk-000001")));
            assertEquals(Set.of(), list(root.resolve("shared")));
            assertEquals(List.of(), writer.files());
            StateFileHandle a = writer.writeFile("a", new byte[] {7});
            writer.complete(PAYLOAD);
            assertEquals(List.of(a), storage.open(1).files());
        }
    }

    @Test
    void completeRequiresEveryStreamClosed() throws IOException {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root);
        try (CheckpointWriter writer = storage.begin(1)) {
            StateFileOutputStream out = writer.createFile("a");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> writer.complete(PAYLOAD));
            assertTrue(e.getMessage().contains("chk-000001/a"), e.getMessage());
            out.closeAndGetHandle();
            writer.complete(PAYLOAD);
        }
        assertEquals(List.of(1L), storage.completedCheckpointIds());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "../escape", "a/b", "/abs", ".hidden", "_metadata", "_x", "a b", "ü", "a\\b"})
    void invalidFileNamesAreRejected(String name) throws IOException {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root);
        try (CheckpointWriter writer = storage.begin(1)) {
            assertThrows(IllegalArgumentException.class, () -> writer.createFile(name));
            assertThrows(IllegalArgumentException.class, () -> writer.writeSharedFile(name, new byte[1]));
            assertThrows(IllegalArgumentException.class, () -> writer.createFile("x".repeat(201)));
            writer.complete(PAYLOAD);
        }
        assertEquals(Set.of("_metadata"), list(root.resolve("chk-000001")));
    }

    @Test
    void namesAreUniquePerScope() throws IOException {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root);
        try (CheckpointWriter writer = storage.begin(1)) {
            writer.writeFile("a", new byte[1]);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> writer.writeFile("a", new byte[2]));
            assertTrue(e.getMessage().contains("Checkpoint 1 already has private file a"), e.getMessage());
            writer.writeSharedFile("a", new byte[3]);
            assertThrows(IllegalArgumentException.class, () -> writer.createSharedFile("a"));
            assertEquals(2, writer.complete(PAYLOAD).files().size());
        }
    }

    @Test
    void sharedFilesAreImmutable() throws IOException {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root);
        try (CheckpointWriter writer = storage.begin(1)) {
            writer.writeSharedFile("s", new byte[] {1});
            writer.complete(PAYLOAD);
        }
        try (CheckpointWriter writer = storage.begin(2)) {
            CheckpointWriteException e = assertThrows(CheckpointWriteException.class,
                    () -> writer.writeSharedFile("s", new byte[] {2}));
            assertEquals(root.resolve("shared/s").toString(), e.file());
        }
        assertArrayEquals(new byte[] {1}, Files.readAllBytes(root.resolve("shared/s")));
    }

    @Test
    void referencingAMissingOrDifferentSharedFileFails() throws IOException {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root);
        StateFileHandle s;
        try (CheckpointWriter writer = storage.begin(1)) {
            s = writer.writeSharedFile("s", new byte[] {1, 2});
            writer.complete(PAYLOAD);
        }
        try (CheckpointWriter writer = storage.begin(2)) {
            CheckpointWriteException missing = assertThrows(CheckpointWriteException.class,
                    () -> writer.referenceSharedFile(new StateFileHandle(Scope.SHARED, "nope", 2, 0)));
            assertTrue(missing.getMessage().contains("Checkpoint 2") && missing.getMessage().contains("shared/nope")
                    && missing.getMessage().contains("missing"), missing.getMessage());
            assertThrows(CheckpointWriteException.class,
                    () -> writer.referenceSharedFile(new StateFileHandle(Scope.SHARED, "s", 3, s.crc32c())));
            assertThrows(IllegalArgumentException.class,
                    () -> writer.referenceSharedFile(new StateFileHandle(Scope.PRIVATE, "s", 2, s.crc32c())));
            assertEquals(s, writer.referenceSharedFile(s));
            assertEquals(s, writer.referenceSharedFile(s));
            assertEquals(List.of(s), writer.complete(PAYLOAD).files());
        }
    }

    @Test
    void aReferencedSharedFileDeletedBeforeCompletionFailsTheCheckpoint() throws IOException {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root);
        StateFileHandle s;
        try (CheckpointWriter writer = storage.begin(1)) {
            s = writer.writeSharedFile("s", new byte[] {1, 2});
            writer.complete(PAYLOAD);
        }
        CheckpointWriter writer = storage.begin(2);
        writer.writeFile("a", new byte[] {1});
        writer.referenceSharedFile(s);
        Files.delete(root.resolve("shared/s"));
        CheckpointWriteException e = assertThrows(CheckpointWriteException.class, () -> writer.complete(PAYLOAD));
        assertEquals(2, e.checkpointId());
        assertEquals(root.resolve("shared/s").toString(), e.file());
        assertEquals(List.of(1L), storage.completedCheckpointIds());
        assertFalse(Files.exists(root.resolve("chk-000002")));
    }

    @Test
    void openByPathAcceptsTheDirectoryOrItsMetadataFile() throws IOException {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root);
        byte[] s = {4, 5, 6};
        StateFileHandle hs;
        try (CheckpointWriter writer = storage.begin(12)) {
            writer.writeFile("a", new byte[] {1});
            hs = writer.writeSharedFile("s", s);
            writer.complete(PAYLOAD);
        }
        CompletedCheckpoint byDir = FileSystemCheckpointStorage.openPath(root.resolve("chk-000012"));
        CompletedCheckpoint byFile = FileSystemCheckpointStorage.openPath(root.resolve("chk-000012/_metadata"));
        assertEquals(storage.open(12).metadata(), byDir.metadata());
        assertEquals(byDir.metadata(), byFile.metadata());
        assertReadsBack(byFile, hs, s);
        assertEquals(root.resolve("chk-000012").toString(), byDir.location());

        // a checkpoint directory moved under another name (with shared/ beside it) still opens
        Path elsewhere = root.resolve("copy");
        Files.createDirectories(elsewhere.resolve("shared"));
        Files.move(root.resolve("chk-000012"), elsewhere.resolve("my-savepoint"));
        Files.move(root.resolve("shared/s"), elsewhere.resolve("shared/s"));
        CompletedCheckpoint moved = FileSystemCheckpointStorage.openPath(elsewhere.resolve("my-savepoint"));
        assertEquals(12, moved.checkpointId());
        moved.verify();
        assertThrows(CheckpointNotFoundException.class, () -> FileSystemCheckpointStorage.openPath(root.resolve("nothing")));
    }

    @Test
    void openingAnUnknownCheckpointNamesIt() throws IOException {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root);
        CheckpointNotFoundException e = assertThrows(CheckpointNotFoundException.class, () -> storage.open(77));
        assertEquals(77, e.checkpointId());
        assertTrue(e.getMessage().startsWith("Checkpoint 77 not found"), e.getMessage());
    }

    @Test
    void anEmptyCheckpointAndALargePayloadRoundTrip() throws IOException {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root);
        byte[] payload = randomBytes(new Random(3), 1 << 20);
        try (CheckpointWriter writer = storage.begin(1_234_567)) {
            writer.complete(payload);
        }
        assertEquals(Set.of("chk-1234567", "shared"), list(root));
        CompletedCheckpoint read = storage.open(1_234_567);
        assertEquals(List.of(), read.files());
        assertArrayEquals(payload, read.payload());
    }

    @Test
    void completedCheckpointsAreListedInIdOrderIgnoringOtherEntries() throws IOException {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root);
        for (long id : new long[] {10, 9, 1_000_000, 11}) {
            try (CheckpointWriter writer = storage.begin(id)) {
                writer.complete(PAYLOAD);
            }
        }
        Files.createDirectories(root.resolve("chk-12"));
        Files.write(root.resolve("chk-12/_metadata"), new byte[1]);
        Files.write(root.resolve("chk-000013"), new byte[1]);
        Files.createDirectories(root.resolve("notes"));
        assertEquals(List.of(9L, 10L, 11L, 1_000_000L), storage.completedCheckpointIds());
        assertEquals(OptionalLong.of(1_000_000), storage.latestCompletedId());
    }

    @Test
    void discardDeletesTheCheckpointAndOnlyTheGivenSharedFiles() throws IOException {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root);
        try (CheckpointWriter writer = storage.begin(1)) {
            writer.writeFile("a", new byte[1]);
            writer.writeSharedFile("s1", new byte[1]);
            writer.writeSharedFile("s2", new byte[1]);
            writer.complete(PAYLOAD);
        }
        storage.discard(1, List.of("s1"));
        assertFalse(Files.exists(root.resolve("chk-000001")));
        assertEquals(Set.of("s2"), list(root.resolve("shared")));
        assertEquals(List.of(), storage.completedCheckpointIds());
        try (CheckpointWriter writer = storage.begin(2)) {
            assertThrows(IllegalStateException.class, () -> storage.discard(2, List.of()));
            writer.abort();
        }
    }
}
